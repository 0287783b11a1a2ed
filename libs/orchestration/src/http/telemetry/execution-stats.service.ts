import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { ExecutionEngine } from '../../engine/execution-engine.service';
import { TRELLIS_NODE_QUEUE } from '../../node-runner/node-runner.constants';
import { NodeQueuePort, PoolStats } from '../../node-runner/strategies/node-queue.port';
import { StateChangeEvent } from '../../state-tracker/state-change.event';
import { StateTracker } from '../../state-tracker/state-tracker.service';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from '../../state-tracker/status.enum';
import { ExecutionCounts } from './execution-counts';
import { RollingCounter } from './rolling-counter';
import { SampleSummary, SampleWindow } from './sample-window';

/** The answer of `GET /stats`. */
export interface ExecutionStats {
  executions: { byStatus: Partial<Record<ExecutionStatus, number>>; total: number };
  workers: { max: number; busy: number; queued: number; activeExecutions: number };
  /** This process's journal: entries made and not yet stored, and the age of the oldest. */
  journal: { backlog: number; lagMs: number };
  throughput: {
    windowSeconds: number;
    nodesCompleted: number;
    nodesPerSecond: number;
    executionsEnded: number;
  };
  durations: { node: SampleSummary; execution: SampleSummary };
  /**
   * QUEUED nodes (with a Redis): per pool used so far, jobs waiting and running and workers
   * connected; totals of this engine's attempts and of late results it refused. `error` instead
   * of the pools while Redis does not answer.
   */
  queue?: {
    pools: PoolStats[];
    submitted: number;
    completed: number;
    failed: number;
    staleResults: number;
    reAdded: number;
    error?: string;
  };
}

/**
 * Counts by status (from the store, so across instances), and this process's throughput over
 * the last minute and durations of its last 1,000 nodes and executions (from `events$`).
 */
@Injectable()
export class ExecutionStatsService implements OnModuleInit, OnModuleDestroy {
  private readonly nodesCompleted = new RollingCounter(60);
  private readonly executionsEnded = new RollingCounter(60);
  private readonly nodeDurations = new SampleWindow(1000);
  private readonly executionDurations = new SampleWindow(1000);
  private subscription?: Subscription;

  constructor(
    private readonly tracker: StateTracker,
    private readonly engine: ExecutionEngine,
    private readonly counts: ExecutionCounts,
    @Optional() @Inject(TRELLIS_NODE_QUEUE) private readonly queue?: NodeQueuePort | null,
  ) {}

  onModuleInit(): void {
    this.subscription = this.tracker.events$.subscribe((event) => this.record(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The current figures. @throws StoreUnavailableError while the store is down. */
  async snapshot(): Promise<ExecutionStats> {
    const [byStatus, queue] = await Promise.all([this.counts.byStatus(), this.queueStats()]);
    const load = this.engine.load();
    const nodesCompleted = this.nodesCompleted.total();
    let total = 0;
    for (const count of Object.values(byStatus)) total += count ?? 0;
    return {
      executions: { byStatus, total },
      workers: {
        max: load.maxWorkers,
        busy: load.runningNodes,
        queued: load.queuedNodes,
        activeExecutions: load.activeExecutions,
      },
      journal: { backlog: load.journalBacklog, lagMs: load.journalLagMs },
      throughput: {
        windowSeconds: 60,
        nodesCompleted,
        nodesPerSecond: Math.round((nodesCompleted / 60) * 100) / 100,
        executionsEnded: this.executionsEnded.total(),
      },
      durations: {
        node: this.nodeDurations.summary(),
        execution: this.executionDurations.summary(),
      },
      ...(queue && { queue }),
    };
  }

  private async queueStats(): Promise<ExecutionStats['queue']> {
    if (!this.queue) return undefined;
    const totals = { ...this.queue.counts() };
    try {
      return { pools: await this.queue.stats(), ...totals };
    } catch (error) {
      return { pools: [], ...totals, error: (error as Error).message };
    }
  }

  private record(event: StateChangeEvent): void {
    if (event.kind === 'node') {
      if (event.durationMs !== undefined) this.nodeDurations.add(event.durationMs);
      if (event.to === 'completed') this.nodesCompleted.add(event.at.getTime());
    } else if (TERMINAL_EXECUTION_STATUSES.has(event.to as ExecutionStatus)) {
      this.executionsEnded.add(event.at.getTime());
      if (event.durationMs !== undefined) this.executionDurations.add(event.durationMs);
    }
  }
}
