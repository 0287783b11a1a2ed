import { QueueOptions, ResolvedQueueOptions } from './queue/queue-options.interface';
import { RetryPolicy } from './graph/graph-definition.interface';

/**
 * How journal writes relate to node launches.
 * - `durable`: an attempt's record is stored before its handler starts, and a completion before
 *   its dependents start (one insert per execution per tick carries a whole wave). Nothing a
 *   handler did is forgotten by a crash; a handler never runs twice for one attempt.
 * - `write-behind`: handlers start at once and the journal follows within a tick. Lower latency;
 *   after a crash the last moments of progress are redone (an attempt may run twice).
 */
export type Durability = 'durable' | 'write-behind';

/** Options of `OrchestrationModule.forRoot()` / `forRootAsync()`. Every field is optional. */
export interface OrchestrationModuleOptions {
  /** Nodes running at once across all executions of this process. Default 64. */
  maxWorkers?: number;
  /** Nodes of one execution running at once when the graph does not say. Default `maxWorkers`. */
  defaultMaxParallelism?: number;
  /** Per-attempt timeout of a node that does not set `timeoutMs`. Default 300000 (5 min). */
  defaultNodeTimeoutMs?: number;
  /**
   * Retry policy of a node without `retry`; a node's own `retry` fields override it field by
   * field. Default `{ maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60000, jitter: 0.2 }`.
   */
  defaultRetry?: RetryPolicy;
  /**
   * After aborting a node (timeout, cancel, halt), how long its handler may take to settle
   * before the attempt is recorded regardless. Default 5000 ms.
   */
  abortGraceMs?: number;
  /**
   * On application shutdown, how long nodes already running get to finish before the rest is
   * left for the next start to resume; no new node starts meanwhile. Default 10000 ms.
   */
  shutdownGraceMs?: number;
  /** Period of the stall detector. Default 30000 ms. */
  stallCheckIntervalMs?: number;
  /** Terminal executions older than this are removed by the retention sweep; 0 keeps them. Default 7 days. */
  retentionMs?: number;
  /** Largest graph accepted, in nodes. Default 20000. */
  maxNodes?: number;
  /** Largest graph accepted, in dependency edges. Default 200000. */
  maxEdges?: number;
  /** Whether SETUP/CLEANUP/TEST_EXECUTION may run commands. Default false. */
  allowCommands?: boolean;
  /** Executables (exact argv[0]) that may be run when commands are allowed. Default none. */
  commandAllowlist?: string[];
  /**
   * Identity of this engine instance, recorded as owner of its executions; must be unique among
   * the processes sharing a database (a restart with the same id resumes its executions at once).
   * Default the host name.
   */
  instanceId?: string;
  /**
   * An instance whose lease has not been renewed for this long is taken for dead and its
   * executions are claimed by others; an instance that could not renew it for this long stops
   * its running nodes. Default 30000 ms.
   */
  leaseMs?: number;
  /** Resume interrupted executions at startup. Default true. */
  recoverOnStartup?: boolean;
  /** Default `durable` with a durable store (MongoDB); the embedded store is always write-behind. */
  durability?: Durability;
  /** Largest node output, as JSON; a bigger one fails the node with OUTPUT_TOO_LARGE. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Largest node error details, as JSON; bigger details are cut. Default 1 MiB. */
  maxErrorBytes?: number;
  /** A journal page is cut at about this size. Default 8 MiB (MongoDB documents hold 16 MiB). */
  maxPageBytes?: number;
  /** A checkpoint of an execution is written after every this many journal pages (MongoDB store). Default 64. */
  checkpointEveryPages?: number;
  /** How long a request waits for the store (or for its own unstored entries) before it answers 503. Default 750 ms. */
  storeTimeoutMs?: number;
  /** How long a journal write may take before it is retried. Default 5000 ms. */
  storeWriteTimeoutMs?: number;
  /** How often an owner looks for commands (cancel, signal) left by other instances. Default 50 ms. */
  commandPollMs?: number;
  /**
   * New executions are refused (503 OVERLOADED) while the oldest unstored journal entry, or the
   * oldest creation still waiting for the store, is older. Default 500 ms.
   */
  maxJournalLagMs?: number;
  /** New executions are refused (503 OVERLOADED) while this many run in this process. Default 2000. */
  maxActiveExecutions?: number;
  /**
   * New executions are refused (503 OVERLOADED) while the mean event-loop delay of the last
   * second is over this (a process past its CPU). Default 100 ms; 0 turns the check off.
   */
  maxEventLoopDelayMs?: number;
  /**
   * The QUEUED strategy's queue: BullMQ on this Redis. Without it QUEUED is refused at
   * validation. Workers (`OrchestrationWorkerModule`, `trellis worker`) run the attempts.
   */
  queue?: QueueOptions;
}

/** Options with every default filled in. */
export type ResolvedOrchestrationOptions = Required<
  Omit<OrchestrationModuleOptions, 'durability' | 'queue'>
> & {
  /** Undefined: chosen by the store (see `Durability`). */
  durability?: Durability;
  /** Undefined: no QUEUED strategy. */
  queue?: ResolvedQueueOptions;
  defaultRetry: Required<RetryPolicy>;
};
