import { InvalidStateError } from './invalid-state.error';

/**
 * An operator's action on a node (retry, complete, skip) does not fit the node's or the
 * execution's current state. Carries both states and why; code `INVALID_STATE` (HTTP 409),
 * `state` is the node's status.
 */
export class NodeActionRefusedError extends InvalidStateError {
  constructor(
    /** The action refused: `retry`, `complete` or `skip`. */
    readonly action: string,
    readonly nodeId: string,
    readonly nodeStatus: string,
    readonly executionStatus: string,
    /** Why, in words (also the end of `message`). */
    readonly why: string,
  ) {
    super(`Cannot ${action} node ${nodeId}: ${why}`, nodeStatus);
  }
}
