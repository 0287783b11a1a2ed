import { ExecutionRecord, NodeStateRecord } from '../execution-record.interface';
import { ExecutionStatus, NodeStatus, TERMINAL_EXECUTION_STATUSES } from '../status.enum';

type NodeTimes = Pick<
  NodeStateRecord,
  'attempts' | 'startedAt' | 'completedAt' | 'nextAttemptAt' | 'deadlineAt' | 'error'
>;
type ExecutionTimes = Pick<ExecutionRecord, 'startedAt' | 'completedAt' | 'error'>;

/**
 * The fields a node transition sets by its kind alone, so journal entries need not carry them:
 * a start counts an attempt (`attempt` is the new count) and is when it started; an end is when
 * it completed and clears the deadline; a completion clears the error. Applied by the tracker
 * to the live view and by the fold on replay: one rule for both.
 */
export function applyImpliedNodeFields(
  node: NodeTimes,
  to: NodeStatus,
  at: Date,
  attempt: number,
): void {
  switch (to) {
    case NodeStatus.RUNNING:
      node.attempts = attempt;
      node.startedAt = at;
      node.completedAt = null;
      node.nextAttemptAt = null;
      break;
    case NodeStatus.COMPLETED:
      node.completedAt = at;
      node.deadlineAt = null;
      node.nextAttemptAt = null;
      node.error = null;
      break;
    case NodeStatus.FAILED:
    case NodeStatus.CANCELLED:
    case NodeStatus.SKIPPED:
      node.completedAt = at;
      node.deadlineAt = null;
      break;
    default:
      break;
  }
}

/** As `applyImpliedNodeFields`, for the execution: a start is when it started, an end when it completed. */
export function applyImpliedExecutionFields(
  execution: ExecutionTimes,
  to: ExecutionStatus,
  at: Date,
): void {
  if (to === ExecutionStatus.RUNNING) {
    execution.startedAt = at;
    execution.completedAt = null;
    execution.error = null;
  } else if (TERMINAL_EXECUTION_STATUSES.has(to)) {
    execution.completedAt = at;
  }
}

/**
 * What an execution's end implies for its nodes: no retry is due any more (a node that waited
 * for one when the run stopped stays failed, and a later re-run does not retry it by itself).
 */
export function applyImpliedEndFields(
  nodes: Iterable<Pick<NodeStateRecord, 'nextAttemptAt'>>,
): void {
  for (const node of nodes) if (node.nextAttemptAt) node.nextAttemptAt = null;
}
