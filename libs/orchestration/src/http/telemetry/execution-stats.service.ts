import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { ExecutionEngine } from '../../engine/execution-engine.service';
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
  ) {}

  onModuleInit(): void {
    this.subscription = this.tracker.events$.subscribe((event) => this.record(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The current figures. @throws StoreUnavailableError while the store is down. */
  async snapshot(): Promise<ExecutionStats> {
    const byStatus = await this.counts.byStatus();
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
    };
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
