import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { EXECUTION_STORE, ExecutionStore } from './execution-store.interface';
import { StateTracker } from './state-tracker.service';

/** Interval name in the SchedulerRegistry. */
export const RETENTION_INTERVAL = 'trellis:retention';

/**
 * Removes executions that ended more than `retentionMs` ago, every 10 minutes (never when 0).
 * The MongoDB store drops whole day partitions (see `MongoExecutionStore.removeEndedBefore`).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly tracker: StateTracker,
    private readonly scheduler: SchedulerRegistry,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.retentionMs <= 0) return;
    const period = Math.min(600_000, this.options.retentionMs);
    this.scheduler.addInterval(
      RETENTION_INTERVAL,
      setInterval(() => void this.sweep(), period),
    );
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', RETENTION_INTERVAL))
      this.scheduler.deleteInterval(RETENTION_INTERVAL);
  }

  /**
   * Removes what is past retention now, except executions still active here or listed by any
   * instance's lease. @returns how many executions were removed.
   */
  async sweep(now = Date.now()): Promise<number> {
    try {
      const keep = new Set(this.tracker.activeIds());
      for (const lease of await this.store.readLeases())
        for (const id of lease.active) keep.add(id);
      const removed = await this.store.removeEndedBefore(
        new Date(now - this.options.retentionMs),
        keep,
      );
      if (removed > 0) this.logger.log(`Retention: removed ${removed} finished execution(s)`);
      return removed;
    } catch (error) {
      this.logger.error(`Retention sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
