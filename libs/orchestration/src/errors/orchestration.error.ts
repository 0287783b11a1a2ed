import { OrchestrationErrorCode } from './orchestration-error-code';

/**
 * Base class of every error the orchestration library throws on purpose.
 * `code` is stable and machine-readable; the HTTP layer maps codes to statuses.
 *
 * `TCode` is `OrchestrationErrorCode` for every library error; only `NodeExecutionError` widens
 * it to `string`, because node handlers choose their own codes.
 */
export class OrchestrationError<TCode extends string = OrchestrationErrorCode> extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `GRAPH_INVALID`. */
    readonly code: TCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
