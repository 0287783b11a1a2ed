/** How a node's work is carried out. `QUEUED` runs it on a worker process (needs a Redis). */
export type ExecutionStrategy = 'DIRECT' | 'SEQUENTIAL' | 'PARALLEL' | 'CONDITIONAL' | 'QUEUED';

/**
 * When a node may run, given how its dependencies ended.
 * - `allSucceeded` (default): every dependency completed; otherwise the node is skipped.
 * - `allDone`: every dependency reached a terminal state, whatever it was (CLEANUP's default).
 * - `noneFailed`: every dependency is terminal, none failed or was cancelled, at least one
 *   completed (a join after a conditional branch; SYNCHRONIZATION's default).
 */
export type RunWhen = 'allSucceeded' | 'allDone' | 'noneFailed';

/** Retry policy of a node. */
export interface RetryPolicy {
  /** Total attempts including the first. Default 3 when a retry policy is given. */
  maxAttempts?: number;
  /** `fixed` waits `initialDelayMs` each time; `exponential` doubles it. Default `exponential`. */
  backoff?: 'fixed' | 'exponential';
  /** Delay before the second attempt. Default 1000 ms. */
  initialDelayMs?: number;
  /** Upper bound of any delay. Default 60000 ms. */
  maxDelayMs?: number;
  /** Randomise each delay by up to ±this fraction (0..1). Default 0.2. */
  jitter?: number;
}

/** Where a QUEUED node's attempts go. */
export interface NodeQueueSettings {
  /** The pool (a BullMQ queue) whose workers run it. Default: the module's `defaultPool`. */
  pool?: string;
  /** BullMQ priority: 1 runs first; unset runs before any prioritised job. */
  priority?: number;
  /** Fail the attempt (`QUEUE_SCHEDULE_TIMEOUT`) when no worker starts it within this time. */
  scheduleToStartTimeoutMs?: number;
}

/** One node of a graph definition. */
export interface NodeDefinition {
  /** Unique within the graph: letters, digits, `_ . : -`, at most 128 characters. */
  id: string;
  /** A built-in or registered node type, e.g. `TEST_EXECUTION`. */
  type: string;
  /** Ids of the nodes that must finish first. Default none. */
  dependsOn?: string[];
  /** Type-specific configuration, checked by the type's handler. Default `{}`. */
  config?: Record<string, unknown>;
  /** Per-attempt timeout. Default: the module's `defaultNodeTimeoutMs` (300000). */
  timeoutMs?: number;
  /** Retry policy; without one a node is tried once. */
  retry?: RetryPolicy;
  /** When true, this node's failure halts the whole execution. Default false. */
  critical?: boolean;
  /** Execution strategy. Default `DIRECT`. */
  strategy?: ExecutionStrategy;
  /**
   * For the `CONDITIONAL` strategy (required there, refused elsewhere): a JSONata condition over
   * `{ input, upstream }`, cast as `$boolean()` (missing, null, false, 0, `""`, `[]`, `{}` are
   * false), as by the CONDITIONAL node type; when false the node is skipped.
   */
  when?: string;
  /** For the `QUEUED` strategy (refused elsewhere): where and how the attempt is queued. */
  queue?: NodeQueueSettings;
  /** Overrides the handler's dependency rule. */
  runWhen?: RunWhen;
  /** Free-form labels, stored and returned. */
  metadata?: Record<string, unknown>;
}

/**
 * What a graph's nodes take when they do not say: a node that names no `strategy` runs with
 * this one (not CONDITIONAL: a condition belongs to one node); with QUEUED, its `queue`
 * settings are these, overridden field by field by the node's own.
 */
export interface NodeDefaults {
  strategy?: ExecutionStrategy;
  queue?: NodeQueueSettings;
}

/** A graph definition: the contract the API, the CLI and the library all speak. */
export interface GraphDefinition {
  /** Display name. */
  name: string;
  /** Nodes of one execution running at once. Default: the module's `maxParallelism`. */
  maxParallelism?: number;
  /** Whole-execution timeout. Default none. */
  timeoutMs?: number;
  /** Default input of executions (an execution's own input is merged over it). */
  input?: Record<string, unknown>;
  /** Defaults of the nodes (a graph-level strategy). */
  defaults?: NodeDefaults;
  /** The nodes. */
  nodes: NodeDefinition[];
  /** Free-form labels. */
  metadata?: Record<string, unknown>;
}
