import { OrchestrationError } from './orchestration.error';

/** The stall detector found an execution that could make no progress and failed it. */
export class OrchestrationStallError extends OrchestrationError {
  constructor(
    readonly executionId: string,
    detail: string,
  ) {
    super('EXECUTION_STALLED', `Execution ${executionId} stalled: ${detail}`);
  }
}
