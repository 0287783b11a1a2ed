import { RunWhen } from '../graph/graph-definition.interface';
import { NodeContext, NodeHandlerResult } from './node-context.interface';

/** A provider that carries out one node type. Register it with `@NodeHandler('TYPE')`. */
export interface NodeTypeHandler<TConfig = any> {
  /**
   * Runs one attempt. Throw `NodeExecutionError` with `retryable: false` for failures that
   * another attempt cannot fix; any other error is retried per the node's policy.
   */
  execute(
    context: NodeContext<TConfig>,
  ): Promise<NodeHandlerResult | void> | NodeHandlerResult | void;
}

/** Options of `@NodeHandler()`. */
export interface NodeHandlerOptions {
  /**
   * class-validator DTO that the node's `config` must satisfy (unknown properties rejected).
   * Default: any object.
   */
  config?: new () => object;
  /** Dependency rule of nodes of this type unless a node overrides it. Default `allSucceeded`. */
  runWhen?: RunWhen;
  /**
   * Whether a node of this type waits for an external signal before it runs (an approval gate).
   * Such a node waits durably, holding no worker slot and making no attempt, until a signal is
   * sent (one sent earlier counts); `ctx.waitForSignal()` then resolves at once. Default never.
   */
  awaitsSignal?: (config: any) => boolean;
}
