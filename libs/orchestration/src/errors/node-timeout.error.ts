import { NodeExecutionError } from './node-execution.error';

/** A node attempt ran past its `timeoutMs`. Timeouts are retryable. */
export class NodeTimeoutError extends NodeExecutionError {
  constructor(
    readonly nodeId: string,
    readonly timeoutMs: number,
  ) {
    super(`Node ${nodeId} timed out after ${timeoutMs} ms`, {
      retryable: true,
      code: 'NODE_TIMEOUT',
    });
  }
}
