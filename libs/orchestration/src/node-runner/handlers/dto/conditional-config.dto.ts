// NOTE: class-transformer's @Type reads design metadata when the class is declared.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { ConditionalCaseDto } from './conditional-case.dto';
import { IsExclusiveWith } from './is-exclusive-with.decorator';
import { IsNodeIdList } from './is-node-id-list.decorator';
import { IsJsonataExpression, jsonataExpressionMessage } from './is-jsonata-expression.decorator';

/**
 * Config of CONDITIONAL, in one of two shapes (JSONata over `{ input, upstream }`, cast as `$boolean()`):
 * - if/else: `{ condition, then, else? }`: `then` when the condition holds, else `else` (default none);
 * - switch: `{ cases: [{ when, next }], default? }`: the first matching case's `next`, else `default`
 *   (default none).
 * Only the chosen direct dependents run; the others are skipped.
 *
 * @example { condition: 'upstream.`login-tests`.status = "passed"', then: ['checkout-tests'], else: ['notify-failure'] }
 * @example { cases: [{ when: 'input.env = "prod"', next: ['smoke'] }], default: ['full-suite'] }
 */
export class ConditionalConfigDto {
  /** JSONata condition (if/else shape). Required unless `cases` is given. */
  @ValidateIf((o: ConditionalConfigDto) => o.condition !== undefined || o.cases === undefined)
  @IsJsonataExpression({
    message: (args) =>
      args.value === undefined
        ? 'either condition (with then) or cases is required'
        : jsonataExpressionMessage(args),
  })
  @IsExclusiveWith(['cases', 'default'])
  condition?: string;

  /** Dependents to run when `condition` holds. Required with `condition`. */
  @ValidateIf((o: ConditionalConfigDto) => o.condition !== undefined || o.then !== undefined)
  @IsNodeIdList()
  @IsExclusiveWith(['cases', 'default'])
  then?: string[];

  /** Dependents to run when `condition` does not hold. Default none. */
  @IsOptional()
  @IsNodeIdList()
  @IsExclusiveWith(['cases', 'default'])
  else?: string[];

  /** Cases tried in order (switch shape). Required unless `condition` is given. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ConditionalCaseDto)
  cases?: ConditionalCaseDto[];

  /** Dependents to run when no case matches. Default none. */
  @IsOptional()
  @IsNodeIdList()
  default?: string[];
}
