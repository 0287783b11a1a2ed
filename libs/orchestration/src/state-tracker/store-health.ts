import { Injectable, Logger } from '@nestjs/common';
import { StoreUnavailableError } from '../errors';

/** What `/health` and the request paths know of the store. */
export interface StoreHealthState {
  up: boolean;
  /** Why it is down (the last error), when it is. */
  reason: string | null;
  /** Since when it is in this state. */
  since: Date;
}

/** How long a client is told to wait before it tries again while the store is down. */
const RETRY_AFTER_MS = 1000;

/**
 * Whether the store answers, as seen by every call this process makes to it (writes, reads,
 * pings). Request paths ask it first, so while the store is down they answer at once with
 * `StoreUnavailableError` (503) instead of waiting for a driver timeout.
 */
@Injectable()
export class StoreHealth {
  private readonly logger = new Logger('Trellis');
  private current: StoreHealthState = { up: true, reason: null, since: new Date() };

  /** The state now. */
  get state(): StoreHealthState {
    return { ...this.current };
  }

  get up(): boolean {
    return this.current.up;
  }

  /** Records a call that the store answered. */
  succeeded(): void {
    if (this.current.up) return;
    this.logger.log(`Store is reachable again (down since ${this.current.since.toISOString()})`);
    this.current = { up: true, reason: null, since: new Date() };
  }

  /** Records a call that could not reach the store. */
  failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (!this.current.up) {
      this.current.reason = reason;
      return;
    }
    this.logger.error(`Store unreachable: ${reason}`);
    this.current = { up: false, reason, since: new Date() };
  }

  /** @throws StoreUnavailableError while the store is down. */
  assertUp(): void {
    if (!this.current.up) throw this.unavailable();
  }

  /** The error a request gets while the store is down. */
  unavailable(cause?: unknown): StoreUnavailableError {
    return new StoreUnavailableError(
      `The state store is unreachable${this.current.reason ? `: ${this.current.reason}` : ''}`,
      { retryAfterMs: RETRY_AFTER_MS, cause },
    );
  }

  /**
   * Runs a store call for a request: fails fast while the store is down (unless it is a `probe`,
   * a background call that finds out when the store is back), and gives up after `timeoutMs`
   * (the driver would wait for its own, much longer, timeouts).
   * @throws StoreUnavailableError when the store is down, does not answer in time, or the call failed to reach it.
   */
  async call<T>(
    work: () => Promise<T>,
    timeoutMs: number,
    options: { probe?: boolean } = {},
  ): Promise<T> {
    if (!options.probe) this.assertUp();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new StoreUnavailableError(
      `The state store did not answer within ${timeoutMs} ms`,
      { retryAfterMs: RETRY_AFTER_MS },
    );
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timedOut), timeoutMs);
      timer.unref();
    });
    try {
      const result = await Promise.race([work(), deadline]);
      this.succeeded();
      return result;
    } catch (error) {
      if (error === timedOut) {
        // NOTE: a slow answer fails this request only; a store that cannot be reached at all is
        // reported by the call itself (a connectivity error), and then fails them all at once.
        throw error;
      }
      if (error instanceof StoreUnavailableError) {
        this.failed(error);
        throw this.unavailable(error);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
