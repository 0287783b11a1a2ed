import { hostname } from 'node:os';
import {
  OrchestrationModuleOptions,
  ResolvedOrchestrationOptions,
} from './orchestration-options.interface';

/** Merges the caller's options over the defaults: the one place defaults live. */
export function resolveOrchestrationOptions(
  options: OrchestrationModuleOptions = {},
): ResolvedOrchestrationOptions {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as OrchestrationModuleOptions;
  const maxWorkers = defined.maxWorkers ?? 64;
  return {
    maxWorkers,
    defaultMaxParallelism: maxWorkers,
    defaultNodeTimeoutMs: 300_000,
    defaultMaxAttempts: 3,
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
    ...defined,
  };
}
