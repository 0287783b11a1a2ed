import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Observable, Subject } from 'rxjs';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { StateTracker } from './state-tracker.service';
import { NodeStatus, TERMINAL_EXECUTION_STATUSES } from './status.enum';

/** A stall found by the detector, for the engine to resolve. */
export type Stall =
  /** A node still running past its deadline plus the abort grace: its attempt is timed out. */
  | { kind: 'node-overdue'; executionId: string; nodeId: string; attempt: number }
  /** An active execution with nothing running, ready or waiting to retry, yet not finished. */
  | { kind: 'execution-idle'; executionId: string }
  /** Every check ends with this: claim executions whose owner stopped (see `OwnershipKeeper`). */
  | { kind: 'orphans' };

/** Interval name in the SchedulerRegistry. */
export const STALL_DETECTOR_INTERVAL = 'trellis:stall-detector';

/**
 * Scheduled check (every `stallCheckIntervalMs`, via @nestjs/schedule's SchedulerRegistry, so
 * the host app's `ScheduleModule.forRoot()` owns the timers) for runs that cannot progress.
 * It only detects and publishes on `stalls$`; the engine resolves each one, so no run hangs.
 */
@Injectable()
export class StallDetector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');
  private readonly stallsSubject = new Subject<Stall>();
  /** Stalls found, as they are found. */
  readonly stalls$: Observable<Stall> = this.stallsSubject.asObservable();

  constructor(
    private readonly tracker: StateTracker,
    private readonly scheduler: SchedulerRegistry,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => this.check(), this.options.stallCheckIntervalMs);
    this.scheduler.addInterval(STALL_DETECTOR_INTERVAL, interval);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', STALL_DETECTOR_INTERVAL))
      this.scheduler.deleteInterval(STALL_DETECTOR_INTERVAL);
  }

  /** Runs one check now. @returns the stalls found (also published on `stalls$`). */
  check(now = Date.now()): Stall[] {
    const stalls: Stall[] = [];
    const grace = this.options.abortGraceMs;
    for (const id of this.tracker.activeIds()) {
      const view = this.tracker.view(id)!;
      let busy = false;
      for (const node of view.nodes) {
        if (node.status === NodeStatus.RUNNING) {
          busy = true;
          if (node.deadlineAt && node.deadlineAt.getTime() + grace < now) {
            stalls.push({
              kind: 'node-overdue',
              executionId: id,
              nodeId: node.nodeId,
              attempt: node.attempts,
            });
          }
        } else if (
          node.status === NodeStatus.READY ||
          node.status === NodeStatus.WAITING ||
          (node.status === NodeStatus.FAILED && node.nextAttemptAt)
        ) {
          busy = true;
        }
      }
      if (!busy && !TERMINAL_EXECUTION_STATUSES.has(view.record.status)) {
        stalls.push({ kind: 'execution-idle', executionId: id });
      }
    }
    for (const stall of stalls) {
      this.logger.warn(`Stall detected: ${JSON.stringify(stall)}`);
      this.stallsSubject.next(stall);
    }
    this.stallsSubject.next({ kind: 'orphans' });
    return stalls;
  }
}
