import { Inject, Injectable } from '@nestjs/common';
import { NodeExecutionError, NodeTimeoutError } from '../errors';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { NodeContext } from './node-context.interface';
import { RegisteredNodeHandler } from './node-handler.registry';
import { AttemptOutcome, ExecutionStrategyRunner } from './strategies/execution-strategy.interface';
import { ExecutionStrategyRegistry } from './strategies/execution-strategy.registry';

/**
 * Runs one attempt of one node: picks the execution strategy, enforces the timeout (abort the
 * handler's signal, then a hard deadline `abortGraceMs` later) and turns every failure into a
 * `NodeExecutionError` (retryable unless the handler said otherwise).
 */
@Injectable()
export class NodeRunnerService {
  constructor(
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
    private readonly strategies: ExecutionStrategyRegistry,
  ) {}

  /**
   * Runs the attempt. `controller` must be the one behind `context.signal`; callers abort it to
   * cancel. A handler that completes synchronously completes without a timer or promise hop.
   * `strategy` overrides the node's (a worker runs a QUEUED node `DIRECT`).
   * @throws NodeExecutionError (NodeTimeoutError on timeout), synchronously or by rejection.
   */
  run(
    entry: RegisteredNodeHandler,
    context: NodeContext,
    controller: AbortController,
    timeoutMs: number,
    strategy: string | undefined = context.node.strategy,
  ): AttemptOutcome | Promise<AttemptOutcome> {
    let outcome: AttemptOutcome | Promise<AttemptOutcome>;
    try {
      outcome = this.strategyOf(strategy).run(entry.handler, context, timeoutMs);
    } catch (error) {
      throw toNodeError(error, context.signal);
    }
    if (!(outcome instanceof Promise)) return outcome;
    return this.withDeadline(outcome, context, controller, timeoutMs);
  }

  private strategyOf(name: string | undefined): ExecutionStrategyRunner {
    const strategy = this.strategies.get(name);
    // NOTE: the graph validator refuses a node whose strategy is not run here; a graph that
    // bypassed it fails its node rather than running it some other way.
    if (!strategy) {
      throw new NodeExecutionError(`Strategy ${name} is not supported`, {
        retryable: false,
        code: 'STRATEGY_UNSUPPORTED',
      });
    }
    return strategy;
  }

  private withDeadline(
    work: Promise<AttemptOutcome>,
    context: NodeContext,
    controller: AbortController,
    timeoutMs: number,
  ): Promise<AttemptOutcome> {
    return new Promise<AttemptOutcome>((resolve, reject) => {
      let hardDeadline: NodeJS.Timeout | undefined;
      const timeout = setTimeout(() => {
        const error = new NodeTimeoutError(context.node.id, timeoutMs);
        controller.abort(error);
        hardDeadline = setTimeout(() => reject(error), this.options.abortGraceMs).unref();
      }, timeoutMs);
      // NOTE: a pending node timeout alone does not keep the process alive; the work does.
      timeout.unref();
      work.then(
        (outcome) => {
          clearTimeout(timeout);
          clearTimeout(hardDeadline);
          if (context.signal.aborted) reject(toNodeError(context.signal.reason, context.signal));
          else resolve(outcome);
        },
        (error) => {
          clearTimeout(timeout);
          clearTimeout(hardDeadline);
          reject(toNodeError(error, context.signal));
        },
      );
    });
  }
}

/** The signal's reason wins once aborted (a timeout, a cancellation); otherwise wrap what was thrown. */
function toNodeError(error: unknown, signal: AbortSignal): NodeExecutionError {
  if (signal.aborted && signal.reason instanceof NodeExecutionError) return signal.reason;
  if (error instanceof NodeExecutionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new NodeExecutionError(message, { retryable: true, cause: error });
}
