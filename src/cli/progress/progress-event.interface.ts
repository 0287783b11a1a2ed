/**
 * One state change as the progress display needs it: the shape of `StateTracker.events$` in
 * process and of the `transition` events of `GET /executions/:id/events`.
 */
export interface ProgressEvent {
  kind: 'node' | 'execution';
  nodeId?: string;
  from: string;
  to: string;
  reason?: string;
  attempt?: number;
}
