import { definedFields } from './defined-fields';
import { resolveQueueOptions } from './queue/queue-options.defaults';
import { hostname } from 'node:os';
import {
  OrchestrationModuleOptions,
  ResolvedOrchestrationOptions,
} from './orchestration-options.interface';

/** The seed's retry policy: 3 attempts, exponential backoff from 1 s. */
export const DEFAULT_RETRY = {
  maxAttempts: 3,
  backoff: 'exponential',
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  jitter: 0.2,
} as const;

/** Merges the caller's options over the defaults: the one place defaults live. */
export function resolveOrchestrationOptions(
  options: OrchestrationModuleOptions = {},
): ResolvedOrchestrationOptions {
  const defined = definedFields(options);
  const maxWorkers = defined.maxWorkers ?? 64;
  return {
    maxWorkers,
    defaultMaxParallelism: maxWorkers,
    defaultNodeTimeoutMs: 300_000,
    abortGraceMs: 5_000,
    shutdownGraceMs: 10_000,
    stallCheckIntervalMs: 30_000,
    retentionMs: 7 * 24 * 3600_000,
    maxNodes: 20_000,
    maxEdges: 200_000,
    allowCommands: false,
    commandAllowlist: [],
    instanceId: hostname(),
    leaseMs: 30_000,
    recoverOnStartup: true,
    maxOutputBytes: 1 << 20,
    maxErrorBytes: 1 << 20,
    maxPageBytes: 8 << 20,
    checkpointEveryPages: 64,
    storeTimeoutMs: 750,
    storeWriteTimeoutMs: 5000,
    commandPollMs: 50,
    maxJournalLagMs: 500,
    maxActiveExecutions: 2_000,
    maxEventLoopDelayMs: 100,
    ...defined,
    defaultRetry: { ...DEFAULT_RETRY, ...defined.defaultRetry },
    queue: defined.queue && resolveQueueOptions(defined.queue),
  };
}
