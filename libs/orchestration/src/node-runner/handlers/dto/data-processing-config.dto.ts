import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsJsonataExpression } from './is-jsonata-expression.decorator';

/**
 * Config of DATA_PROCESSING: a JSONata expression evaluated over `{ input, upstream }`; its
 * result is the node's output. Node ids with dashes need backticks in JSONata paths.
 *
 * @example { expression: '{ "passed": $count(upstream.*[status = "passed"]), "total": $count(upstream.*) }' }
 * @example { expression: 'upstream.`login-tests`.outputTail' }
 */
export class DataProcessingConfigDto {
  /** JSONata expression; checked to compile when the graph is validated. Required. */
  @IsJsonataExpression()
  expression!: string;

  /**
   * Longest the evaluation may run (it blocks the event loop while it does), 1 to 60000 ms.
   * Default 1000.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60_000)
  maxEvaluationMs?: number;
}
