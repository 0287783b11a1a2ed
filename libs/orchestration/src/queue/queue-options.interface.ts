/** Options of the QUEUED strategy (the engine's side), under `OrchestrationModuleOptions.queue`. */
export interface QueueOptions {
  /** The Redis BullMQ runs on, e.g. `redis://127.0.0.1:6379` (`REDIS_URL`). Required. */
  redisUrl: string;
  /** Key prefix of every queue (BullMQ's `prefix`). Default `trellis`. */
  prefix?: string;
  /** The pool of a QUEUED node that names none. Default `default`. */
  defaultPool?: string;
  /**
   * How long an attempt may wait for a worker to start it before it fails with
   * `QUEUE_SCHEDULE_TIMEOUT` (not retried); a node's `queue.scheduleToStartTimeoutMs` wins.
   * Default 0: it waits as long as its `timeoutMs` allows.
   */
  scheduleToStartTimeoutMs?: number;
  /** How often the engine checks Redis against the attempts it waits for. Default 2000 ms. */
  reconcileMs?: number;
  /** An attempt not heard of for this long has its job's state read. Default 30000 ms. */
  stuckAfterMs?: number;
  /** Seconds finished jobs stay in Redis (for a result whose event was missed). Default 3600. */
  keepFinishedS?: number;
  /**
   * Approximate length of each queue's event stream (where results come back); workers use the
   * same. Default `EVENTS_MAX_LEN` (100,000).
   */
  eventsMaxLen?: number;
}

export type ResolvedQueueOptions = Required<QueueOptions>;

/** Length of a pool's event stream (about 4 events per job): results unread past it are lost. */
export const EVENTS_MAX_LEN = 100_000;

/** Pool names: letters, digits, `_ -`, 1 to 64 characters. */
export const POOL_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

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
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as ResolvedQueueOptions;
}
