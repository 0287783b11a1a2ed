import { Inject, Injectable } from '@nestjs/common';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { EXECUTION_STORE, ExecutionStore } from '../../state-tracker/execution-store.interface';
import { ExecutionStatus } from '../../state-tracker/status.enum';
import { StoreHealth } from '../../state-tracker/store-health';

/** How long a count of executions by status is reused. */
const MAX_AGE_MS = 2000;

/**
 * Executions by status, read from the store (so across instances) at most every 2 s however
 * often `/stats` and `/metrics` are asked: the count reads whole partitions, which a busy store
 * should not do for every scrape. Concurrent callers share one read.
 */
@Injectable()
export class ExecutionCounts {
  private last: { at: number; counts: Partial<Record<ExecutionStatus, number>> } | null = null;
  private reading: Promise<Partial<Record<ExecutionStatus, number>>> | null = null;

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly health: StoreHealth,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  /** Forgets the last count: the next call reads the store. */
  invalidate(): void {
    this.last = null;
  }

  /** @throws StoreUnavailableError while the store is down or does not answer in time. */
  async byStatus(now = Date.now()): Promise<Partial<Record<ExecutionStatus, number>>> {
    if (this.last && now - this.last.at < MAX_AGE_MS) return this.last.counts;
    this.reading ??= this.health
      .call(() => this.store.countExecutionsByStatus(), this.options.storeTimeoutMs * 5)
      .then((counts) => {
        this.last = { at: Date.now(), counts };
        return counts;
      })
      .finally(() => (this.reading = null));
    return this.reading;
  }
}
