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
 * The operator's own transitions are in `OPERATOR_NODE_TRANSITIONS`.
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

/**
 * Node transitions only an operator's action makes (never the scheduler), legal on top of
 * `NODE_TRANSITIONS` when the caller says it acts for an operator:
 * - completed -> pending: an operator re-runs a node that had completed (node retry).
 * - failed -> completed: an operator marks a failed node as succeeded, with an output (node complete).
 * - failed -> skipped: an operator skips a failed node (node skip).
 */
export const OPERATOR_NODE_TRANSITIONS: Readonly<
  Partial<Record<NodeStatus, readonly NodeStatus[]>>
> = {
  [N.COMPLETED]: [N.PENDING],
  [N.FAILED]: [N.COMPLETED, N.SKIPPED],
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

/** Execution transitions only an operator's action makes: completed -> running (a node of it is re-run). */
export const OPERATOR_EXECUTION_TRANSITIONS: Readonly<
  Partial<Record<ExecutionStatus, readonly ExecutionStatus[]>>
> = {
  [E.COMPLETED]: [E.RUNNING],
};

/** How a transition is checked besides the table. */
export interface TransitionCheck {
  /** For failed -> running (a retry): the attempts the node may make in all. */
  maxAttempts?: number;
  /** The transition is an operator's action: the operator-only transitions are legal too. */
  operator?: boolean;
}

/**
 * @param made attempts the node made so far (checked against `check.maxAttempts` on a retry).
 * @throws StateTransitionError when `from -> to` is not in the table (nor, for an operator, in
 * the operator's), or is a retry (failed -> running) with no attempts left.
 */
export function assertNodeTransition(
  id: string,
  from: NodeStatus,
  to: NodeStatus,
  made = 0,
  check: TransitionCheck = {},
): void {
  const legal =
    NODE_TRANSITIONS[from].includes(to) ||
    (check.operator === true && (OPERATOR_NODE_TRANSITIONS[from]?.includes(to) ?? false));
  if (!legal) throw new StateTransitionError('node', from, to, id);
  const max = check.maxAttempts;
  if (from === N.FAILED && to === N.RUNNING && max !== undefined && made >= max) {
    throw new StateTransitionError('node', from, to, id, `no attempts left (${made}/${max})`);
  }
}

/**
 * @throws StateTransitionError when `from -> to` is not in the execution table (nor, with
 * `operator`, in the operator's).
 */
export function assertExecutionTransition(
  id: string,
  from: ExecutionStatus,
  to: ExecutionStatus,
  operator = false,
): void {
  const legal =
    EXECUTION_TRANSITIONS[from].includes(to) ||
    (operator && (OPERATOR_EXECUTION_TRANSITIONS[from]?.includes(to) ?? false));
  if (!legal) throw new StateTransitionError('execution', from, to, id);
}
