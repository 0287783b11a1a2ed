import { OrchestrationError } from './orchestration.error';

/**
 * The execution store did not answer (down, failing over, timing out). Transient: the HTTP layer
 * answers 503 with `Retry-After` from `retryAfterMs`.
 */
export class StoreUnavailableError extends OrchestrationError {
  /** When a client may try again, in milliseconds; unset when unknown. */
  readonly retryAfterMs?: number;
  /**
   * Set when the store did not confirm a new execution in time: its insert may still land, and
   * then the execution runs. A client looks it up by this id, or retries with the same
   * idempotency key (which finds it if it was created).
   */
  readonly executionId?: string;

  constructor(
    message: string,
    options: { retryAfterMs?: number; cause?: unknown; executionId?: string } = {},
  ) {
    super('STORE_UNAVAILABLE', message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    if (options.executionId !== undefined) this.executionId = options.executionId;
  }

  /** The error for a creation whose outcome is unknown: `error`, naming the execution. */
  static unconfirmed(executionId: string, error: StoreUnavailableError): StoreUnavailableError {
    return new StoreUnavailableError(
      `${error.message}. Execution ${executionId} was not confirmed: it may still be created ` +
        'and run. Look it up by id, or retry with the same idempotency key',
      { retryAfterMs: error.retryAfterMs, cause: error, executionId },
    );
  }
}
