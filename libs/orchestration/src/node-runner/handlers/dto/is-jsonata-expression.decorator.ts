import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { expressionSyntaxProblem } from '../expression.evaluator';

/** Default message of `@IsJsonataExpression()`: the syntax error, with its position. */
export function jsonataExpressionMessage(args: ValidationArguments): string {
  return typeof args.value === 'string'
    ? `${args.property} is not a valid JSONata expression: ${expressionSyntaxProblem(args.value)}`
    : `${args.property} must be a JSONata expression (a string)`;
}

/** The value must be a string that compiles as a JSONata expression; the message gives the syntax error. */
export function IsJsonataExpression(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isJsonataExpression',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: jsonataExpressionMessage, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && expressionSyntaxProblem(value) === undefined,
      },
    });
}
