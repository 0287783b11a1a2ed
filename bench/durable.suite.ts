import type { Durability } from '../libs/orchestration/src';
import { DurableConfig, durableScenarios } from './bench.config';
import { BenchFailure, benchLog } from './bench.log';
import type { BullmqFigures } from './bullmq-baseline';
import { runInChild } from './child.task';
import { startMongoServer } from './ferretdb.server';
import type { ScenarioResult } from './scenario.result';
import { scenarioLabel, storeLabel } from './scenario.label';

/** What the durable suite measured: Trellis per backend and mode, and BullMQ. */
export interface DurableSuiteResult {
  /** One line per server used, e.g. `sqlite: FerretDB v1.24.2 (sqlite backend), ...`. */
  servers: string[];
  results: ScenarioResult[];
  bullmq: BullmqFigures | null;
  /** Why BullMQ has no figures, when it has none. */
  bullmqNote: string | null;
}

/**
 * Runs the fan-in and the chain on each backend (a FerretDB of its own, stopped after it) in
 * `durable` mode, and in `write-behind` mode where configured; then BullMQ with the same sizes
 * and runs, on REDIS_URL or 127.0.0.1:6379. Each scenario runs in a child process; a failure
 * is recorded and the suite goes on.
 */
export async function runDurableSuite(
  config: DurableConfig,
  failures: BenchFailure[],
): Promise<DurableSuiteResult> {
  const out: DurableSuiteResult = { servers: [], results: [], bullmq: null, bullmqNote: null };
  const backends = [...new Set([...config.backends, ...config.writeBehindBackends])];
  for (const backend of backends) {
    const modes: Durability[] = [];
    if (config.backends.includes(backend)) modes.push('durable');
    if (config.writeBehindBackends.includes(backend)) modes.push('write-behind');
    let server;
    try {
      server = await startMongoServer(backend);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      failures.push({ scenario: `${backend} server`, error: message });
      benchLog(`${backend}: no server (${message}); its scenarios are skipped`);
      continue;
    }
    out.servers.push(`${backend}: ${server.description}`);
    benchLog(`durable suite on ${server.description}`);
    try {
      for (const durability of modes) {
        for (const spec of durableScenarios(config, backend, durability)) {
          const name = `${storeLabel(spec)} ${scenarioLabel(spec)}`;
          benchLog(`${name}: ${spec.warmup} warm-up + ${spec.iterations} timed run(s)`);
          const t0 = performance.now();
          try {
            out.results.push(
              await runInChild({ kind: 'scenario', spec: { ...spec, uri: server.uri } }),
            );
            benchLog(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
          } catch (error) {
            failures.push({ scenario: name, error: (error as Error).message });
            benchLog(`${name}: FAILED: ${(error as Error).message}`);
          }
        }
      }
    } finally {
      server.stop();
    }
  }
  if (config.bullmq) await runBullmq(config, out, failures);
  else out.bullmqNote = 'skipped (BENCH_BULLMQ=0)';
  return out;
}

async function runBullmq(
  config: DurableConfig,
  out: DurableSuiteResult,
  failures: BenchFailure[],
): Promise<void> {
  const options = {
    fanIn: Math.max(1, config.fanIn),
    chain: Math.max(2, config.chain),
    runs: config.iterations,
    warmup: config.warmup,
  };
  benchLog(
    `BullMQ: fan-in 1 <- ${options.fanIn}, chain of ${options.chain}; ` +
      `${options.warmup} warm-up + ${options.runs} timed round(s)`,
  );
  const t0 = performance.now();
  try {
    out.bullmq = await runInChild({ kind: 'bullmq', options });
    benchLog(`BullMQ: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    const message = (error as Error).message;
    out.bullmqNote = `failed: ${message.split('\n')[0]}`;
    failures.push({ scenario: 'BullMQ baseline', error: message });
    benchLog(`BullMQ: FAILED: ${message}`);
  }
}
