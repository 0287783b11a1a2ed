import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { NODE_ID_PATTERN } from '../../../graph/node-definition.checks';

/** The value must be an array (possibly empty) of node ids. */
export function IsNodeIdList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNodeIdList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) =>
          args.value === undefined
            ? `${args.property} is required`
            : `${args.property} must be an array of node ids`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.every((id) => typeof id === 'string' && NODE_ID_PATTERN.test(id)),
      },
    });
}
