import { definedFields } from '../defined-fields';
import { QueueOptions, ResolvedQueueOptions } from './queue-options.interface';

/** Length of a pool's event stream (about 4 events per job): results unread past it are lost. */
export const EVENTS_MAX_LEN = 100_000;

/** Fills in the defaults. */
export function resolveQueueOptions(options: QueueOptions): ResolvedQueueOptions {
  return {
    prefix: 'trellis',
    defaultPool: 'default',
    scheduleToStartTimeoutMs: 0,
    reconcileMs: 2000,
    stuckAfterMs: 30_000,
    keepFinishedS: 3600,
    eventsMaxLen: EVENTS_MAX_LEN,
    ...definedFields(options),
  };
}
