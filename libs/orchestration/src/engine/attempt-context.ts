import { LoggerService } from '@nestjs/common';
import { NodeDefinition } from '../graph/graph-definition.interface';
import { NodeContext } from '../node-runner/node-context.interface';
import { NodeAttemptLogger } from './node-attempt.logger';

/**
 * The `NodeContext` of one attempt. `upstream` and `logger` are built on first use, so a node
 * that needs neither costs no allocation for them.
 */
export class AttemptContext implements NodeContext {
  private upstreamCache?: Record<string, unknown>;
  private completedCache?: string[];
  private loggerCache?: LoggerService;

  constructor(
    readonly executionId: string,
    readonly graphId: string,
    readonly node: NodeDefinition,
    readonly config: Record<string, unknown>,
    readonly attempt: number,
    readonly fencingToken: number,
    readonly signal: AbortSignal,
    readonly input: Record<string, unknown>,
    private readonly collectUpstream: () => Record<string, unknown>,
    readonly waitForSignal: () => Promise<unknown>,
    private readonly collectCompleted: () => string[],
  ) {}

  get completedDependencies(): string[] {
    return (this.completedCache ??= this.collectCompleted());
  }

  get upstream(): Record<string, unknown> {
    return (this.upstreamCache ??= this.collectUpstream());
  }

  get logger(): LoggerService {
    return (this.loggerCache ??= new NodeAttemptLogger({
      executionId: this.executionId,
      nodeId: this.node.id,
      attempt: this.attempt,
    }));
  }
}
