import { NodeDefinition } from '../../graph/graph-definition.interface';
import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';

/** What an attempt came to: completed with a result, or skipped (a false CONDITIONAL `when`). */
export type AttemptOutcome =
  { kind: 'completed'; result: NodeHandlerResult | void } | { kind: 'skipped'; reason: string };

/**
 * One problem of a node definition under a strategy. `path` is relative to the node (`when`,
 * `config.steps[1].ms`) and `message` is a phrase that starts with it.
 */
export interface StrategyProblem {
  code: 'NODE_FIELD_INVALID' | 'NODE_CONFIG_INVALID';
  path: string;
  message: string;
}

/**
 * Checks one config against the node type's DTO: one `property: message` per broken constraint,
 * empty when valid (or when the type is unknown: that is reported on its own).
 */
export type NodeConfigCheck = (config: unknown) => string[];

/** How a node's work is carried out around its handler: DIRECT, SEQUENTIAL, PARALLEL, CONDITIONAL, QUEUED. */
export interface ExecutionStrategyRunner {
  /**
   * The problems of a node definition under this strategy: the fields it reads (CONDITIONAL's
   * `when`, `config.steps`, ...) and each config it will hand the handler, checked with
   * `checkConfig`. Called by the graph validator, so a node is checked by the code that runs it.
   */
  validate(node: NodeDefinition, checkConfig: NodeConfigCheck): StrategyProblem[];

  /** Runs one attempt of the node around `handler`; `timeoutMs` is the attempt's timeout. */
  run(
    handler: NodeTypeHandler,
    context: NodeContext,
    timeoutMs?: number,
  ): Promise<AttemptOutcome> | AttemptOutcome;
}
