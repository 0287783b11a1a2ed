import { Inject, Injectable } from '@nestjs/common';
import { NodeExecutionError } from '../errors';
import { AttemptContext } from '../engine/attempt-context';
import { normalizeOutput, toErrorInfo } from '../engine/attempt-result';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { NodeRunnerService } from '../node-runner/node-runner.service';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { NodeJobData, NodeJobResult } from './node-job';

/**
 * Runs one QUEUED attempt on a worker: the node's registered handler, DIRECT, with the attempt's
 * context as the engine built it (input, upstream outputs, fencing token), its timeout counted
 * from here, and `signal` (BullMQ's, aborted when the engine cancels the attempt) behind
 * `ctx.signal`. Every outcome is a result for the engine, failures included; the output is made
 * plain JSON and checked against `maxOutputBytes` here, so what reaches Redis is storable.
 */
@Injectable()
export class NodeJobRunner {
  constructor(
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
    private readonly registry: NodeHandlerRegistry,
    private readonly runner: NodeRunnerService,
  ) {}

  async run(data: NodeJobData, signal?: AbortSignal): Promise<NodeJobResult> {
    const entry = this.registry.get(data.node.type);
    if (!entry) {
      return this.failure(
        new NodeExecutionError(
          `Node type ${data.node.type} is not registered on this worker (known: ${this.registry.types().join(', ')})`,
          { retryable: true, code: 'NODE_TYPE_UNKNOWN' },
        ),
      );
    }
    const controller = new AbortController();
    const onAbort = () =>
      controller.abort(
        new NodeExecutionError('The engine cancelled the attempt', {
          retryable: false,
          code: 'ATTEMPT_CANCELLED',
        }),
      );
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const context = new AttemptContext(
      data.executionId,
      data.graphId,
      data.node,
      data.node.config ?? {},
      data.attempt,
      data.fencingToken,
      controller.signal,
      data.input,
      () => data.upstream,
      () =>
        Promise.reject(
          new NodeExecutionError('A QUEUED node cannot wait for a signal: run the gate DIRECT', {
            retryable: false,
          }),
        ),
      () => data.completedDependencies,
    );
    try {
      const outcome = await this.runner.run(entry, context, controller, data.timeoutMs, 'DIRECT');
      if (outcome.kind === 'skipped') return { ok: true, skipped: outcome.reason };
      const output = normalizeOutput(outcome.result?.output, this.options.maxOutputBytes);
      if (!output.ok) return this.failure(output.error);
      const next = outcome.result?.next;
      return next ? { ok: true, output: output.output, next } : { ok: true, output: output.output };
    } catch (error) {
      return this.failure(error as NodeExecutionError);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private failure(error: NodeExecutionError): NodeJobResult {
    const { info } = toErrorInfo(error, this.options.maxErrorBytes);
    return {
      ok: false,
      error: {
        message: info.message,
        code: info.code,
        retryable: error.retryable,
        details: info.details,
      },
    };
  }
}
