// NOTE: class-transformer's @Type reads design metadata when the class is declared.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, ValidateNested } from 'class-validator';
import { ValidationRuleDto } from './validation-rule.dto';

/**
 * Config of VALIDATION: rules checked against `{ input, upstream }`; every rule is checked and
 * the node fails (not retryable) listing each broken one.
 *
 * @example `{ rules: [{ path: 'upstream.login-tests.status', operator: 'eq', value: 'passed' }] }`
 */
export class ValidationConfigDto {
  /** The rules, at least one. Required. */
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ValidationRuleDto)
  rules!: ValidationRuleDto[];
}
