import jsonata from 'jsonata';
import { NodeContext } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { DirectStrategy } from './direct.strategy';
import { AttemptOutcome, ExecutionStrategyRunner } from './execution-strategy.interface';

/**
 * Evaluates the node's `when` (JSONata over `{ input, upstream }`); runs the handler directly
 * when it is truthy, otherwise the node is skipped (and so are its dependents, per their rule).
 */
export class ConditionalStrategy implements ExecutionStrategyRunner {
  private readonly direct = new DirectStrategy();
  private readonly compiled = new Map<string, jsonata.Expression>();

  async run(handler: NodeTypeHandler, context: NodeContext): Promise<AttemptOutcome> {
    const when = context.node.when!;
    let expression = this.compiled.get(when);
    if (!expression) {
      expression = jsonata(when);
      if (this.compiled.size > 1000) this.compiled.clear();
      this.compiled.set(when, expression);
    }
    const verdict: unknown = await expression.evaluate({
      input: context.input,
      upstream: context.upstream,
    });
    if (!verdict) return { kind: 'skipped', reason: `condition is false: ${when}` };
    return this.direct.run(handler, context);
  }
}
