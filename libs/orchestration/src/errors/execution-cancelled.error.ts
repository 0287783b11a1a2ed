import { OrchestrationError } from './orchestration.error';

/** An execution was cancelled (by a request, or by shutdown policy); stored as its error. */
export class ExecutionCancelledError extends OrchestrationError {
  constructor(
    /** Why, as given with the cancel request. */
    readonly reason: string,
  ) {
    super('EXECUTION_CANCELLED', reason);
  }
}
