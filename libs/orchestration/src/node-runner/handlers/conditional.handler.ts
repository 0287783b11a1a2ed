import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { ConditionalConfigDto } from './dto/conditional-config.dto';
import { evaluateCondition } from './expression.evaluator';

/**
 * CONDITIONAL: picks the direct dependents to run. Returns `{ output: { matched, next }, next }`:
 * `matched` is `then` or `else` (if/else shape), `cases[i]` or `default` (switch shape), and the
 * engine skips the dependents not in `next`.
 */
@NodeHandler('CONDITIONAL', { config: ConditionalConfigDto })
export class ConditionalHandler implements NodeTypeHandler<ConditionalConfigDto> {
  async execute(context: NodeContext<ConditionalConfigDto>): Promise<NodeHandlerResult> {
    const { config } = context;
    const document = { input: context.input, upstream: context.upstream };
    const options = { signal: context.signal };
    let matched = 'default';
    let next = config.default ?? [];
    if (config.condition !== undefined) {
      const holds = await evaluateCondition(config.condition, document, options);
      matched = holds ? 'then' : 'else';
      next = (holds ? config.then : config.else) ?? [];
    } else {
      for (const [i, branch] of (config.cases ?? []).entries()) {
        if (await evaluateCondition(branch.when, document, options)) {
          matched = `cases[${i}]`;
          next = branch.next;
          break;
        }
      }
    }
    return { output: { matched, next }, next };
  }
}
