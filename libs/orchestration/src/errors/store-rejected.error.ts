import { OrchestrationError } from './orchestration.error';

/**
 * The store permanently refused one execution's write (a document over the size limit, a value
 * it cannot hold): retrying the same write cannot succeed, and other executions are unaffected.
 * HTTP 422, not a 5xx: the store is healthy and the content is what it cannot take.
 */
export class StoreRejectedError extends OrchestrationError {
  /** The execution whose write was refused, when known. */
  readonly executionId?: string;

  constructor(message: string, options: { executionId?: string; cause?: unknown } = {}) {
    super('STORE_REJECTED', message, { cause: options.cause });
    this.executionId = options.executionId;
  }
}
