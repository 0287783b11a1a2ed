import { OrchestrationError } from './orchestration.error';

/**
 * A node attempt failed. Handlers throw it with `retryable: false` to stop retries
 * (e.g. a test that ran and failed); any other thrown error counts as retryable.
 */
export class NodeExecutionError extends OrchestrationError {
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
