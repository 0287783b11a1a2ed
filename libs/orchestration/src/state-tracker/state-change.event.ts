/** One state change, as published on `StateTracker.events$` (and, later, over SSE and metrics). */
export interface StateChangeEvent {
  /** `node` for a node transition, `execution` for an execution transition. */
  kind: 'node' | 'execution';
  executionId: string;
  graphId: string;
  /** For node events. */
  nodeId?: string;
  from: string;
  to: string;
  at: Date;
  by: string;
  reason?: string;
  attempt?: number;
  /** Per-execution sequence number, starting at 1: a client resumes after the last one it saw. */
  seq: number;
  /** Live node events only: the node's type. */
  nodeType?: string;
  /** Live events only. Leaving `running`: how long the attempt (or the execution) ran. */
  durationMs?: number;
  /** Live events only. `ready -> running`: how long the node waited for a worker. */
  waitMs?: number;
}
