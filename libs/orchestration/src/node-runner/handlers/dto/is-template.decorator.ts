import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { templateProblem } from '../template.renderer';

/** The value must be a string whose `{{ path }}` placeholders all hold valid paths. */
export function IsTemplate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTemplate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) =>
          typeof args.value === 'string'
            ? `${args.property} has an invalid placeholder: ${templateProblem(args.value)}`
            : `${args.property} must be a string`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && templateProblem(value) === undefined,
      },
    });
}
