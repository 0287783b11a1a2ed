import { OrchestrationError } from './orchestration.error';

/** An action does not make sense in the current state (cancel a completed execution, ...). */
export class InvalidStateError extends OrchestrationError {
  constructor(
    message: string,
    /** The state that forbids the action. */
    readonly state: string,
  ) {
    super('INVALID_STATE', message);
  }
}
