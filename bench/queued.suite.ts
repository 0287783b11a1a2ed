import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { Durability } from '../libs/orchestration/src';
import { BenchFailure, benchLog } from './bench.log';
import { startMongoServer } from './ferretdb.server';
import type { QueuedConfig, QueuedResult, QueuedRow } from './queued.main';
import { table as renderTable } from './report.table';
import type { TargetCheck } from './target.check';

/** Settings of the `queued` suite (environment, see bench/README.md). */
export interface QueuedSuiteConfig {
  fanIn: number;
  chain: number;
  workers: number[];
  modes: Durability[];
  concurrency: number;
  warmup: number;
  runs: number;
  bullmq: boolean;
  backend: string;
}

const envInt = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Reads BENCH_QUEUED_* (defaults: fan-in 10,000, chain 1,000, 1/2/4 workers, both modes). */
export function readQueuedConfig(): QueuedSuiteConfig {
  return {
    fanIn: envInt('BENCH_QUEUED_FANIN', 10_000),
    chain: envInt('BENCH_QUEUED_CHAIN', 1_000),
    workers: (process.env.BENCH_QUEUED_WORKERS ?? '1,2,4').split(',').map(Number),
    modes: (process.env.BENCH_QUEUED_MODES ?? 'durable,write-behind').split(',') as Durability[],
    concurrency: envInt('BENCH_QUEUED_CONCURRENCY', 50),
    warmup: envInt('BENCH_QUEUED_WARMUP', 1),
    runs: envInt('BENCH_QUEUED_RUNS', 3),
    bullmq: process.env.BENCH_BULLMQ !== '0',
    backend: process.env.BENCH_QUEUED_BACKEND ?? 'sqlite',
  };
}

/** What the suite measured, its server and its targets. */
export interface QueuedSuiteResult {
  server: string;
  result: QueuedResult;
  targets: TargetCheck[];
}

/**
 * Starts a FerretDB (or uses MONGODB_URI), then runs queued.main.js in a child process with the
 * local Redis (REDIS_URL, default 127.0.0.1:6379), and judges the targets: QUEUED fan-in
 * at least BullMQ's jobs/s with the same worker count, chain hop p50 at most 1.5x BullMQ's.
 */
export async function runQueuedSuite(
  config: QueuedSuiteConfig,
  failures: BenchFailure[],
): Promise<QueuedSuiteResult | null> {
  let server;
  try {
    server = await startMongoServer(config.backend);
  } catch (error) {
    failures.push({ scenario: 'queued server', error: (error as Error).message.split('\n')[0] });
    return null;
  }
  benchLog(`queued suite on ${server.description}, workers ${config.workers.join('/')}`);
  try {
    const payload: QueuedConfig = {
      uri: server.uri,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      ...config,
    };
    const result = await new Promise<QueuedResult>((resolve, reject) => {
      const child = fork(join(__dirname, 'queued.main.js'), {
        env: { ...process.env, BENCH_QUEUED_CONFIG: JSON.stringify(payload) },
        execArgv: ['--expose-gc'],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 900_000);
      child.once('message', (m: QueuedResult) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`queued.main exited (${code}) without a result`));
      });
    });
    const out = { server: server.description, result, targets: queuedTargets(result.rows) };
    process.stdout.write(`\n${renderQueued(out)}\n`);
    return out;
  } catch (error) {
    failures.push({ scenario: 'queued', error: (error as Error).message });
    benchLog(`queued: FAILED: ${(error as Error).message}`);
    return null;
  } finally {
    server.stop();
  }
}

function queuedTargets(rows: QueuedRow[]): TargetCheck[] {
  const bull = (w: number) => rows.find((r) => r.strategy === 'BullMQ' && r.workers === w);
  const checks: TargetCheck[] = [];
  for (const row of rows.filter((r) => r.strategy === 'QUEUED')) {
    const b = bull(row.workers);
    checks.push({
      target: 'QUEUED fan-in nodes/s vs BullMQ (same workers)',
      scenario: `${row.mode} fan-in, ${row.workers} worker(s)`,
      value: Math.round(row.fanInNodesPerSec),
      unit: 'nodes/s',
      limit: b ? `>= BullMQ's ${Math.round(b.fanInNodesPerSec)}` : 'BullMQ not measured',
      pass: b ? row.fanInNodesPerSec >= b.fanInNodesPerSec : null,
      note: b
        ? `Trellis/BullMQ ${(row.fanInNodesPerSec / b.fanInNodesPerSec).toFixed(2)}`
        : undefined,
    });
    if (row.hopP50Ms !== undefined) {
      const b1 = bull(1);
      checks.push({
        target: 'QUEUED chain hop p50 vs 1.5 x BullMQ',
        scenario: `${row.mode} chain, 1 worker`,
        value: row.hopP50Ms,
        unit: 'ms',
        limit:
          b1?.hopP50Ms !== undefined
            ? `<= ${(1.5 * b1.hopP50Ms).toFixed(3)} ms`
            : 'BullMQ not measured',
        pass: b1?.hopP50Ms !== undefined ? row.hopP50Ms <= 1.5 * b1.hopP50Ms : null,
      });
    }
  }
  return checks;
}

function renderQueued(out: QueuedSuiteResult): string {
  const rows = out.result.rows;
  const direct = (mode: string) => rows.find((r) => r.strategy === 'DIRECT' && r.mode === mode);
  const table = renderTable(
    [
      'strategy',
      'mode',
      'workers',
      'fan-in nodes/s',
      'hop p50 ms',
      'hop p99 ms',
      'overhead µs/node',
      'hop overhead ms',
    ],
    rows.map((r) => {
      const d = r.strategy === 'QUEUED' ? direct(r.mode) : undefined;
      return [
        r.strategy,
        r.mode,
        String(r.workers),
        Math.round(r.fanInNodesPerSec).toLocaleString('en-US'),
        r.hopP50Ms?.toFixed(3) ?? '-',
        r.hopP99Ms?.toFixed(3) ?? '-',
        d ? (1e6 / r.fanInNodesPerSec - 1e6 / d.fanInNodesPerSec).toFixed(1) : '-',
        d && r.hopP50Ms !== undefined && d.hopP50Ms !== undefined
          ? (r.hopP50Ms - d.hopP50Ms).toFixed(3)
          : '-',
      ];
    }),
  );
  const targets = renderTable(
    ['target', 'scenario', 'value', 'limit', 'result', 'note'],
    out.targets.map((t) => [
      t.target,
      t.scenario,
      `${t.value} ${t.unit}`,
      t.limit,
      t.pass === null ? '-' : t.pass ? 'PASS' : 'FAIL',
      t.note ?? '',
    ]),
  );
  return [
    `QUEUED nodes on BullMQ workers (BENCH_NOOP; ${out.server}; Redis ${out.result.redisVersion ?? '?'})`,
    "  fan-in 1 <- N and a chain; nodes/s = startExecution .. done; hop = start of node k+1 - end of node k (workers' clocks);",
    '  overhead = per node, QUEUED minus DIRECT in the same engine and mode; BullMQ = FlowProducer, same shapes, same Redis',
    table,
    '',
    'QUEUED targets',
    targets,
  ].join('\n');
}
