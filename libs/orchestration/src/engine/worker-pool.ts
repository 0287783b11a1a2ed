import { Inject, Injectable } from '@nestjs/common';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';

/** Something that can use a worker slot when one frees up. */
export interface SlotConsumer {
  /** Called when slots may be free; takes what it needs through `tryAcquire()`. */
  pump(): void;
}

/**
 * The process-wide limit on nodes running at once (`maxWorkers`). Executions that find it
 * full wait in a FIFO queue and are pumped, in turn, as slots free: no polling.
 */
@Injectable()
export class WorkerPool {
  private inUse = 0;
  private readonly waiting = new Set<SlotConsumer>();
  private idle: (() => void)[] = [];

  constructor(@Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions) {}

  /** Slots in use now. */
  get busy(): number {
    return this.inUse;
  }

  /** Executions waiting for a slot. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Takes a slot if one is free; otherwise queues `consumer` to be pumped later. */
  tryAcquire(consumer: SlotConsumer): boolean {
    if (this.inUse < this.options.maxWorkers) {
      this.inUse++;
      return true;
    }
    this.waiting.add(consumer);
    return false;
  }

  /** Returns a slot and hands the freed capacity to the longest-waiting execution. */
  release(): void {
    this.inUse--;
    if (this.inUse === 0 && this.idle.length > 0) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
    for (const consumer of this.waiting) {
      if (this.inUse >= this.options.maxWorkers) return;
      this.waiting.delete(consumer);
      consumer.pump();
    }
  }

  /** Resolves when no slot is in use. */
  whenIdle(): Promise<void> {
    if (this.inUse === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Forgets a consumer that no longer needs slots. */
  forget(consumer: SlotConsumer): void {
    this.waiting.delete(consumer);
  }
}
