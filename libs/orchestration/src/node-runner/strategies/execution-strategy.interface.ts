import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';

/** What an attempt came to: completed with a result, or skipped (a false CONDITIONAL `when`). */
export type AttemptOutcome =
  { kind: 'completed'; result: NodeHandlerResult | void } | { kind: 'skipped'; reason: string };

/** How a node's work is carried out around its handler: DIRECT, SEQUENTIAL, PARALLEL, CONDITIONAL. */
export interface ExecutionStrategyRunner {
  run(handler: NodeTypeHandler, context: NodeContext): Promise<AttemptOutcome> | AttemptOutcome;
}
