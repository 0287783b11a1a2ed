/**
 * Base class of every error the orchestration library throws on purpose.
 * `code` is stable and machine-readable; the HTTP layer maps codes to statuses.
 */
export class OrchestrationError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `GRAPH_INVALID`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
