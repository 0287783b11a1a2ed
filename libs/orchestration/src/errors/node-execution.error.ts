import { OrchestrationError } from './orchestration.error';

/**
 * A node attempt failed. Handlers throw it with `retryable: false` to stop retries
 * (e.g. a test that ran and failed); any other thrown error counts as retryable.
 *
 * Its `code` is an open string (default `NODE_EXECUTION_FAILED`), not an `OrchestrationErrorCode`:
 * handlers, the host's included, choose their own, and a node failure is stored with the node,
 * never mapped to an HTTP status (one that escapes to a request is a 500).
 */
export class NodeExecutionError extends OrchestrationError<string> {
  /** Whether another attempt may succeed. Default `true`. */
  readonly retryable: boolean;
  /** Structured detail persisted with the error (e.g. broken validation rules). */
  readonly details?: unknown;

  constructor(
    message: string,
    options: { retryable?: boolean; details?: unknown; cause?: unknown; code?: string } = {},
  ) {
    super(options.code ?? 'NODE_EXECUTION_FAILED', message, { cause: options.cause });
    this.retryable = options.retryable ?? true;
    this.details = options.details;
  }
}
