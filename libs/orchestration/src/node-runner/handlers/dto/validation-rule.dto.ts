import { Allow, IsIn, IsOptional, IsString } from 'class-validator';
import { RULE_OPERATOR_NAMES, RuleOperator } from '../rule.operators';
import { IsRuleValue } from './is-rule-value.decorator';
import { IsValuePath } from './is-value-path.decorator';

/** One declarative VALIDATION rule, e.g. `{ path: 'upstream.login-tests.status', operator: 'eq', value: 'passed' }`. */
export class ValidationRuleDto {
  /**
   * Where the checked value is, in `{ input, upstream }`: dot keys (`upstream.login-tests.status`),
   * `[n]` indexes and `["key"]` quoted keys (`upstream["build.v2"].ok`). Required.
   */
  @IsValuePath()
  path!: string;

  /**
   * eq, ne (JSON equality), gt, gte, lt, lte (numbers with numbers, strings with strings),
   * in, notIn (value: array), exists, notExists (present and not null; no value),
   * matches (value: regular expression string), contains (substring or array member). Required.
   */
  @IsIn(RULE_OPERATOR_NAMES)
  operator!: RuleOperator;

  /** The operand; required except for exists / notExists, where it must be absent. */
  @Allow()
  @IsRuleValue()
  value?: unknown;

  /** Message reported when the rule breaks. Default `<path> <operator phrase> <value> (was <actual>)`. */
  @IsOptional()
  @IsString()
  message?: string;
}
