import { OrchestrationError } from './orchestration.error';

/**
 * The execution store did not answer (down, failing over, timing out). Transient: the HTTP layer
 * answers 503 with `Retry-After` from `retryAfterMs`.
 */
export class StoreUnavailableError extends OrchestrationError {
  /** When a client may try again, in milliseconds; unset when unknown. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super('STORE_UNAVAILABLE', message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}
