import { OrchestrationError } from './orchestration.error';

/**
 * This instance refuses new work because it is at capacity (queue full, too many running
 * executions). Transient: the HTTP layer answers 503 with `Retry-After` from `retryAfterMs`.
 */
export class OverloadedError extends OrchestrationError {
  /** When a client may try again, in milliseconds; unset when unknown. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryAfterMs?: number } = {}) {
    super('OVERLOADED', message);
    this.retryAfterMs = options.retryAfterMs;
  }
}
