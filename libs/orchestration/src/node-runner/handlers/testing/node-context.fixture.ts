import { Logger, LoggerService } from '@nestjs/common';
import { NodeDefinition } from '../../../graph/graph-definition.interface';
import { NodeContext } from '../../node-context.interface';

/** A node context for handler specs, with the controller behind its signal. */
export interface NodeContextFixture<TConfig> {
  /** The context to pass to `execute()`. */
  context: NodeContext<TConfig>;
  /** Aborts `context.signal` (a timeout, a cancellation). */
  controller: AbortController;
  /** Resolves the pending and next `context.waitForSignal()` with `payload`. */
  sendSignal(payload: unknown): void;
}

/** Fields of the context a spec may set; `node` may be partial. */
export interface NodeContextOverrides {
  /** Default `{ id: 'node-1', type: 'TEST' }`. */
  node?: Partial<NodeDefinition>;
  /** Default `{}`. */
  input?: Record<string, unknown>;
  /** Default `{}`. */
  upstream?: Record<string, unknown>;
  /** Default the ids in `upstream` whose output is not null. */
  completedDependencies?: string[];
  /** Default a Nest `Logger` named after the node. */
  logger?: LoggerService;
  /** Default 1. */
  attempt?: number;
  /** Default 4294967297 (epoch 1, entry 1). */
  fencingToken?: number;
}

/**
 * Builds a plain `NodeContext` the way the node runner does: a real `AbortController`, a real
 * logger, and a `waitForSignal()` that rejects with the signal's reason once aborted.
 */
export function createNodeContext<TConfig>(
  config: TConfig,
  overrides: NodeContextOverrides = {},
): NodeContextFixture<TConfig> {
  const controller = new AbortController();
  const node: NodeDefinition = { id: 'node-1', type: 'TEST', ...overrides.node };
  let deliver!: (payload: unknown) => void;
  let refuse!: (reason: unknown) => void;
  const signalled = new Promise<unknown>((resolve, reject) => {
    deliver = resolve;
    refuse = reject;
  });
  const context: NodeContext<TConfig> = {
    executionId: 'exec-1',
    graphId: 'graph-1',
    node,
    config,
    attempt: overrides.attempt ?? 1,
    fencingToken: overrides.fencingToken ?? 4294967297,
    signal: controller.signal,
    input: overrides.input ?? {},
    upstream: overrides.upstream ?? {},
    completedDependencies:
      overrides.completedDependencies ??
      Object.keys(overrides.upstream ?? {}).filter((id) => overrides.upstream![id] !== null),
    logger: overrides.logger ?? new Logger(`node ${node.id}`),
    waitForSignal: () => {
      if (controller.signal.aborted) return Promise.reject(controller.signal.reason as Error);
      controller.signal.addEventListener('abort', () => refuse(controller.signal.reason), {
        once: true,
      });
      return signalled;
    },
  };
  return { context, controller, sendSignal: deliver };
}
