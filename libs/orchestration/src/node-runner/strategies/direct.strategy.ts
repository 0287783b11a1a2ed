import { NodeDefinition } from '../../graph/graph-definition.interface';
import { NodeContext } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { configProblems } from './config-problems';
import {
  AttemptOutcome,
  ExecutionStrategyRunner,
  NodeConfigCheck,
  StrategyProblem,
} from './execution-strategy.interface';

/** Runs the handler once with the node's config. */
export class DirectStrategy implements ExecutionStrategyRunner {
  /** The node's `config` (default `{}`) must be a config of its type. */
  validate(node: NodeDefinition, checkConfig: NodeConfigCheck): StrategyProblem[] {
    return configProblems(checkConfig(node.config ?? {}), 'config.');
  }

  run(handler: NodeTypeHandler, context: NodeContext): Promise<AttemptOutcome> | AttemptOutcome {
    const result = handler.execute(context);
    // NOTE: synchronous handlers (DELAY 0) complete without an extra promise hop.
    if (result instanceof Promise) return result.then((r) => ({ kind: 'completed', result: r }));
    return { kind: 'completed', result };
  }
}
