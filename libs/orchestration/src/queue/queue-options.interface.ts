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
