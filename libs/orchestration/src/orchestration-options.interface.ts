/** Options of `OrchestrationModule.forRoot()` / `forRootAsync()`. Every field is optional. */
export interface OrchestrationModuleOptions {
  /** Nodes running at once across all executions of this process. Default 64. */
  maxWorkers?: number;
  /** Nodes of one execution running at once when the graph does not say. Default `maxWorkers`. */
  defaultMaxParallelism?: number;
  /** Per-attempt timeout of a node that does not set `timeoutMs`. Default 300000 (5 min). */
  defaultNodeTimeoutMs?: number;
  /** Attempts of a node whose retry policy omits `maxAttempts`. Default 3. */
  defaultMaxAttempts?: number;
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
  /** Identity of this engine instance, recorded as owner of its executions. Default the host name. */
  instanceId?: string;
  /** An execution whose owner has not renewed its lease for this long may be taken over. Default 30000 ms. */
  leaseMs?: number;
  /** Resume interrupted executions at startup. Default true. */
  recoverOnStartup?: boolean;
}

/** Options with every default filled in. */
export type ResolvedOrchestrationOptions = Required<OrchestrationModuleOptions>;
