/** Lifecycle of one node within one execution. */
export enum NodeStatus {
  PENDING = 'pending',
  READY = 'ready',
  /** Ready, but its type waits for an external signal first (a durable wait: no worker slot, no attempt). */
  WAITING = 'waiting',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  SKIPPED = 'skipped',
}

/** Lifecycle of one execution of a graph. */
export enum ExecutionStatus {
  PENDING = 'pending',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}

/** Node statuses after which nothing more happens (a failed node may still be retried while attempts remain). */
export const TERMINAL_NODE_STATUSES: ReadonlySet<NodeStatus> = new Set([
  NodeStatus.COMPLETED,
  NodeStatus.FAILED,
  NodeStatus.CANCELLED,
  NodeStatus.SKIPPED,
]);

/** Execution statuses that end an execution. */
export const TERMINAL_EXECUTION_STATUSES: ReadonlySet<ExecutionStatus> = new Set([
  ExecutionStatus.COMPLETED,
  ExecutionStatus.FAILED,
  ExecutionStatus.CANCELLED,
]);
