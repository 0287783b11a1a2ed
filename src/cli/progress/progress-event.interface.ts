import type { StateChangeEvent } from '@trellis/orchestration';

/**
 * One state change as the progress display needs it: the part of `StateTracker.events$` in
 * process, and of the `transition` events of `GET /executions/:id/events`, that it reads.
 */
export type ProgressEvent = Pick<
  StateChangeEvent,
  'kind' | 'nodeId' | 'from' | 'to' | 'reason' | 'attempt'
>;
