import { StateTransitionError } from '../errors';
import { ExecutionStatus, NodeStatus } from './status.enum';

const N = NodeStatus;
const E = ExecutionStatus;

/**
 * The one table of legal node transitions.
 * - ready -> waiting: the node's type waits for a signal and none was sent yet; waiting -> ready
 *   once one arrives. A waiting node holds no worker slot and has made no attempt; waiting -> failed
 *   when no signal came within its `timeoutMs`.
 * - running -> skipped: a CONDITIONAL-strategy node whose condition is false.
 * - running -> failed with no attempts left: also an attempt interrupted by a crash when it was the last.
 * - running -> ready: an interrupted attempt (crash, lost worker) is queued again as a new attempt.
 * - failed -> running: a retry, only while attempts remain (checked by `assertNodeTransition`).
 * - failed/skipped/cancelled -> pending: an operator re-runs the unfinished part of an execution.
 */
export const NODE_TRANSITIONS: Readonly<Record<NodeStatus, readonly NodeStatus[]>> = {
  [N.PENDING]: [N.READY, N.SKIPPED, N.CANCELLED],
  [N.READY]: [N.RUNNING, N.WAITING, N.SKIPPED, N.CANCELLED],
  [N.WAITING]: [N.READY, N.FAILED, N.SKIPPED, N.CANCELLED],
  [N.RUNNING]: [N.COMPLETED, N.FAILED, N.CANCELLED, N.READY, N.SKIPPED],
  [N.FAILED]: [N.RUNNING, N.PENDING],
  [N.COMPLETED]: [],
  [N.CANCELLED]: [N.PENDING],
  [N.SKIPPED]: [N.PENDING],
};

/** The one table of legal execution transitions; a terminal execution may be re-run (-> running). */
export const EXECUTION_TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> =
  {
    [E.PENDING]: [E.RUNNING, E.CANCELLED],
    [E.RUNNING]: [E.COMPLETED, E.FAILED, E.CANCELLED],
    [E.COMPLETED]: [],
    [E.FAILED]: [E.RUNNING],
    [E.CANCELLED]: [E.RUNNING],
  };

/**
 * @throws StateTransitionError when `from -> to` is not in the table, or is a retry
 * (failed -> running) with no attempts left.
 */
export function assertNodeTransition(
  id: string,
  from: NodeStatus,
  to: NodeStatus,
  attempts?: { made: number; max: number },
): void {
  if (!NODE_TRANSITIONS[from].includes(to)) {
    throw new StateTransitionError('node', from, to, id);
  }
  if (from === N.FAILED && to === N.RUNNING && attempts && attempts.made >= attempts.max) {
    throw new StateTransitionError(
      'node',
      from,
      to,
      id,
      `no attempts left (${attempts.made}/${attempts.max})`,
    );
  }
}

/** @throws StateTransitionError when `from -> to` is not in the execution table. */
export function assertExecutionTransition(
  id: string,
  from: ExecutionStatus,
  to: ExecutionStatus,
): void {
  if (!EXECUTION_TRANSITIONS[from].includes(to)) {
    throw new StateTransitionError('execution', from, to, id);
  }
}
