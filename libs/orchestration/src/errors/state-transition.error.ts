import { OrchestrationError } from './orchestration.error';

/** An illegal status change was attempted; it was not applied and never persisted. */
export class StateTransitionError extends OrchestrationError {
  constructor(
    readonly entity: 'node' | 'execution',
    readonly from: string,
    readonly to: string,
    readonly id: string,
    detail?: string,
  ) {
    super(
      'STATE_TRANSITION_INVALID',
      `Illegal ${entity} transition ${from} -> ${to} for ${id}${detail ? `: ${detail}` : ''}`,
    );
  }
}
