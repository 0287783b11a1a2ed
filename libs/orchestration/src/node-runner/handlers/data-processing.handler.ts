import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { DataProcessingConfigDto } from './dto/data-processing-config.dto';
import { evaluateExpression } from './expression.evaluator';

/**
 * DATA_PROCESSING: evaluates its JSONata expression over `{ input, upstream }`; the result, as
 * JSON, is the output (`null` when the expression matched nothing). Evaluation errors and
 * timeouts are not retryable (`EXPRESSION_FAILED`).
 */
@NodeHandler('DATA_PROCESSING', { config: DataProcessingConfigDto })
export class DataProcessingHandler implements NodeTypeHandler<DataProcessingConfigDto> {
  async execute(context: NodeContext<DataProcessingConfigDto>): Promise<NodeHandlerResult> {
    const { expression, maxEvaluationMs } = context.config;
    const result = await evaluateExpression(
      expression,
      { input: context.input, upstream: context.upstream },
      { signal: context.signal, timeoutMs: maxEvaluationMs },
    );
    return { output: result ?? null };
  }
}
