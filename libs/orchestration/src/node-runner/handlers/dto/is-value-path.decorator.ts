import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { parseValuePath } from '../value-path.parser';

/** The value must be a path in the syntax of `parseValuePath` (e.g. `upstream.login-tests.status`). */
export function IsValuePath(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isValuePath',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => `${args.property}: ${pathProblem(args.value)}`,
        ...options,
      },
      validator: { validate: (value: unknown) => pathProblem(value) === undefined },
    });
}

function pathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a path string';
  try {
    parseValuePath(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
