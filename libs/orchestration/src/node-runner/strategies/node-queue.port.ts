import { NodeContext } from '../node-context.interface';
import { AttemptOutcome } from './execution-strategy.interface';

/** The QUEUED strategy's view of a pool's queue, as `/stats` shows it. */
export interface PoolStats {
  pool: string;
  /** Jobs waiting for a worker (prioritized ones included). */
  waiting: number;
  /** Jobs a worker is running. */
  active: number;
  /** Jobs waiting for a time (none today: retries are the engine's). */
  delayed: number;
  /** Workers connected to the pool's queue. */
  workers: number;
  /** Attempts this engine waits for in the pool. */
  outstanding: number;
}

/**
 * Where the QUEUED strategy sends an attempt: a queue that a worker process takes it from
 * (BullMQ: `QueuedAttempts`). Provided under `TRELLIS_NODE_QUEUE` when the module has a
 * `queue` (a Redis); without one QUEUED is refused at validation.
 */
export interface NodeQueuePort {
  /**
   * Runs the attempt on a worker: settles with its outcome, rejects with its failure (a
   * `NodeExecutionError`), or rejects once `context.signal` aborts (the worker is told to stop).
   */
  submit(context: NodeContext, timeoutMs: number): Promise<AttemptOutcome>;
  /** Per pool the engine has used: queue depth, workers, attempts waited for. */
  stats(): Promise<PoolStats[]>;
  /** Totals since start. */
  counts(): Readonly<{
    submitted: number;
    completed: number;
    failed: number;
    staleResults: number;
    reAdded: number;
  }>;
}
