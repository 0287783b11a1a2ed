import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { StateTracker } from '../../state-tracker/state-tracker.service';

/** Terminus indicator: up when the execution store answers a ping within `timeoutMs`. */
@Injectable()
export class StoreHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly tracker: StateTracker,
  ) {}

  async check(key = 'store', timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const store = this.tracker.store;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return indicator.up({ description: store.description, durable: store.durable });
    } catch (error) {
      return indicator.down({ description: store.description, message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
