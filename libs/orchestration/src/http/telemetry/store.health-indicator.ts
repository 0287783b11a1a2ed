import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EXECUTION_STORE, ExecutionStore } from '../../state-tracker/execution-store.interface';
import { StoreHealth } from '../../state-tracker/store-health';

/**
 * Terminus indicator: down at once (with why and since when) while the engine cannot reach the
 * store; otherwise up when the store answers a ping within `timeoutMs`.
 */
@Injectable()
export class StoreHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly storeHealth: StoreHealth,
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
  ) {}

  async check(key = 'store', timeoutMs = 1000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const store = this.store;
    const state = this.storeHealth.state;
    if (!state.up) {
      return indicator.down({
        description: store.description,
        message: `unreachable since ${state.since.toISOString()}: ${state.reason}`,
      });
    }
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
      this.storeHealth.failed(error);
      return indicator.down({ description: store.description, message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
