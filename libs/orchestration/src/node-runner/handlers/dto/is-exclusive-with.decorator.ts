import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';

/**
 * When the decorated property is present, none of `others` may be: for configs that come in
 * alternative shapes (`http` or `command`; `condition` or `cases`).
 */
export function IsExclusiveWith(others: string[], options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isExclusiveWith',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: others,
      options: { message: `$property cannot be combined with ${others.join(' or ')}`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value === undefined ||
          others.every((other) => (args.object as Record<string, unknown>)[other] === undefined),
      },
    });
}
