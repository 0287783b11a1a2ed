import { NodeExecutionError } from '../../errors';
import { NodeDefinition } from '../../graph/graph-definition.interface';
import { NodeContext, NodeHandlerResult } from '../../node-runner/node-context.interface';
import { NodeHandler } from '../../node-runner/node-handler.decorator';
import { NodeTypeHandler } from '../../node-runner/node-type-handler.interface';

/** Config of the PROBE node type used by the engine's specs. */
export interface ProbeConfig {
  /** Fail the first N attempts. */
  failTimes?: number;
  /** Whether those failures may be retried. Default true. */
  retryable?: boolean;
  /** Never finish on its own; rejects when aborted unless `ignoreAbort`. */
  hang?: boolean;
  /** Hang only during the first N attempts. */
  hangAttempts?: number;
  ignoreAbort?: boolean;
  /** Finish after this many ms (a real timer, abortable). */
  ms?: number;
  output?: unknown;
  next?: string[];
}

/**
 * A node type for tests: records what ran, when, with what context, and how many ran at once.
 * Registered through `@NodeHandler` like any user-defined type.
 */
@NodeHandler('PROBE')
export class ProbeHandler implements NodeTypeHandler<ProbeConfig> {
  readonly starts: {
    nodeId: string;
    attempt: number;
    fencingToken: number;
    upstream: Record<string, unknown>;
    input: Record<string, unknown>;
  }[] = [];
  readonly aborted: string[] = [];
  /** When set, `start <nodeId>` is pushed here as each attempt starts (to order it against other events). */
  log?: string[];
  running = 0;
  peak = 0;

  async execute(ctx: NodeContext<ProbeConfig>): Promise<NodeHandlerResult> {
    this.starts.push({
      nodeId: ctx.node.id,
      attempt: ctx.attempt,
      fencingToken: ctx.fencingToken,
      upstream: ctx.upstream,
      input: ctx.input,
    });
    this.log?.push(`start ${ctx.node.id}`);
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      const cfg = ctx.config;
      if (cfg.hang || ctx.attempt <= (cfg.hangAttempts ?? 0))
        await this.wait(ctx, { ...cfg, ms: undefined });
      else if (cfg.ms !== undefined) await this.wait(ctx, cfg);
      if (ctx.attempt <= (cfg.failTimes ?? 0)) {
        throw new NodeExecutionError(`planned failure ${ctx.attempt}`, {
          retryable: cfg.retryable ?? true,
        });
      }
      return { output: cfg.output ?? { node: ctx.node.id, attempt: ctx.attempt }, next: cfg.next };
    } finally {
      this.running--;
    }
  }

  /** Node ids in start order. */
  order(): string[] {
    return this.starts.map((s) => s.nodeId);
  }

  private wait(ctx: NodeContext<ProbeConfig>, cfg: ProbeConfig): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = cfg.ms !== undefined ? setTimeout(resolve, cfg.ms) : undefined;
      ctx.signal.addEventListener('abort', () => {
        this.aborted.push(ctx.node.id);
        if (cfg.ignoreAbort) return;
        clearTimeout(timer);
        reject(ctx.signal.reason as Error);
      });
    });
  }
}

/** A PROBE node definition. */
export function probe(
  id: string,
  dependsOn: string[] = [],
  extra: Partial<NodeDefinition> = {},
): NodeDefinition {
  return { id, type: 'PROBE', dependsOn, ...extra };
}
