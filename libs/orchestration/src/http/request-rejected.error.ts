import { OrchestrationError, RequestErrorCode } from '../errors';

/** One entry of an error response's `details`: what is wrong and where. */
export interface ErrorDetail {
  /** Machine-readable kind, e.g. `isString`, `CYCLE`. */
  code?: string;
  /** JSON path of the offending field (`nodes[3].dependsOn[0]`, `idempotencyKey`). */
  path?: string;
  /** The node concerned, for graph problems. */
  nodeId?: string;
  message: string;
  /** For a cycle: its path, first node repeated last. */
  cycle?: string[];
  /** For a refused node action: the node's status and the execution's. */
  nodeStatus?: string;
  executionStatus?: string;
}

/**
 * A request the HTTP layer refuses before it reaches the engine: a DTO that fails validation,
 * a malformed id, a body nested too deeply or holding a `$` key, a missing API key.
 */
export class RequestRejectedError extends OrchestrationError {
  constructor(
    code: RequestErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(code, message);
  }
}
