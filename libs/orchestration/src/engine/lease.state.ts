import { Inject, Injectable } from '@nestjs/common';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';

/**
 * This instance's lease as the runs see it: when it was last renewed (monotonic clock), and the
 * executions to claim back. A handler is launched only while the lease is fresh: a process that
 * was stopped or starved past its lease may have lost its executions to another instance, and
 * must not start work for them before a claim says it still owns them.
 */
@Injectable()
export class LeaseState {
  private renewedAt = performance.now();
  /** Executions let go of (lease lost, a launch refused) that this instance claims back. */
  readonly reclaim = new Set<string>();

  constructor(@Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions) {}

  /** Records a successful renewal now. */
  renewed(): void {
    this.renewedAt = performance.now();
  }

  /** Milliseconds since the last renewal. */
  age(now = performance.now()): number {
    return now - this.renewedAt;
  }

  /** Whether another instance cannot yet have taken this one for dead. */
  fresh(now = performance.now()): boolean {
    return this.age(now) < this.options.leaseMs;
  }
}
