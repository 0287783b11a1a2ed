import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { RULE_OPERATORS, RuleOperatorSpec } from '../rule.operators';

/** A rule's `value` must suit its `operator` (an array for `in`, a valid pattern for `matches`, ...). */
export function IsRuleValue(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRuleValue',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => `${args.property}: ${problem(args)}`,
        ...options,
      },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problem(args) === undefined,
      },
    });
}

function problem(args: ValidationArguments): string | undefined {
  const operator = (args.object as { operator?: unknown }).operator;
  // NOTE: an unknown operator is reported on `operator` itself.
  const spec: RuleOperatorSpec | undefined = Object.hasOwn(RULE_OPERATORS, String(operator))
    ? RULE_OPERATORS[operator as keyof typeof RULE_OPERATORS]
    : undefined;
  return spec?.checkValue(args.value);
}
