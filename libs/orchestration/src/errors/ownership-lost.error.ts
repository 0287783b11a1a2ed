import { OrchestrationError } from './orchestration.error';

/**
 * This instance no longer owns an execution (its lease expired and another instance took it
 * over), so it must not write for it. HTTP 409: the execution goes on elsewhere.
 */
export class OwnershipLostError extends OrchestrationError {
  constructor(
    readonly executionId: string,
    message = `This instance no longer owns execution ${executionId}`,
  ) {
    super('OWNERSHIP_LOST', message);
  }
}
