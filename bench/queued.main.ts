/**
 * The `queued` bench suite, in a process of its own (forked by queued.suite.ts): QUEUED no-op
 * nodes on 1, 2 and 4 worker processes (queued-worker.process.ts) against an engine on the
 * MongoDB store (FerretDB), in `durable` and `write-behind` modes; the same graphs DIRECT in the
 * same engine (the per-node overhead of QUEUED); BullMQ `FlowProducer` with the same worker
 * counts on the same Redis. Config in BENCH_QUEUED_CONFIG (JSON); the result is sent over IPC.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import {
  Durability,
  ExecutionEngine,
  GraphDefinition,
  OrchestrationModule,
} from '../libs/orchestration/src';
import { BenchNoopHandler } from './bench-noop.handler';
import { measureBullmq } from './bullmq-baseline';
import { buildGraph, chainParents, fanInParents } from './graph-shapes';
import { median, percentile } from './percentiles';
import type { WorkerCommand, WorkerReply } from './queued-worker.process';
import type { QueuedSuiteConfig } from './queued.suite';
import { timeExecution } from './timed-execution';

/** What the suite is told. */
export type QueuedConfig = Omit<QueuedSuiteConfig, 'backend'> & { uri: string; redisUrl: string };

/** One measured configuration (medians over the timed runs). */
export interface QueuedRow {
  strategy: 'QUEUED' | 'DIRECT' | 'BullMQ';
  mode: Durability | 'redis';
  workers: number;
  fanInNodesPerSec: number;
  /** Chain hop p50/p99 (ms); measured with one worker only. */
  hopP50Ms?: number;
  hopP99Ms?: number;
}

export interface QueuedResult {
  rows: QueuedRow[];
  redisVersion?: string;
}

type Worker = { child: ChildProcess; ask(command: WorkerCommand): Promise<WorkerReply> };

function startWorker(env: Record<string, string>): Promise<Worker> {
  const child = fork(join(__dirname, 'queued-worker.process.js'), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<WorkerReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`a bench worker exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: WorkerReply) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const ready = next();
  const worker: Worker = {
    child,
    ask: (command) => {
      const reply = next();
      child.send(command);
      return reply;
    },
  };
  return ready.then(() => worker);
}

async function engineApp(
  config: QueuedConfig,
  durability: Durability,
  prefix: string,
): Promise<{ app: INestApplicationContext; engine: ExecutionEngine; noop: BenchNoopHandler }> {
  @Module({
    imports: [
      ScheduleModule.forRoot(),
      MongooseModule.forRoot(config.uri, {
        dbName: `bench_queued_${durability.replace('-', '_')}_${prefix}`,
      }),
      OrchestrationModule.forRoot({
        store: 'mongo',
        instanceId: 'bench-queued',
        durability,
        // NOTE: runs come back to back; the intake's event-loop check would refuse the next one.
        maxEventLoopDelayMs: 0,
        queue: { redisUrl: config.redisUrl, prefix, defaultPool: 'bench' },
      }),
    ],
    providers: [BenchNoopHandler],
  })
  class EngineBenchModule {}
  const app = await NestFactory.createApplicationContext(EngineBenchModule, { logger: ['error'] });
  await app.init();
  return { app, engine: app.get(ExecutionEngine), noop: app.get(BenchNoopHandler) };
}

function graphOf(parents: number[][], queued: boolean): GraphDefinition {
  const { definition } = buildGraph(
    parents.length === 1 ? 'chain' : 'fanin',
    parents,
    'BENCH_NOOP',
  );
  return {
    ...definition,
    name: `${definition.name}-${queued ? 'queued' : 'direct'}`,
    maxParallelism: parents.length,
    nodes: definition.nodes.map((n) => (queued ? { ...n, strategy: 'QUEUED' } : n)),
  };
}

/** Hops of a chain from timestamps taken by one or more processes (wall clock). */
function hops(
  samples: { origin: number; starts: number[]; ends: number[] }[],
  n: number,
): number[] {
  const start = new Float64Array(n).fill(Number.NaN);
  const end = new Float64Array(n).fill(Number.NaN);
  for (const s of samples) {
    for (let i = 0; i < n; i++) {
      if (!Number.isNaN(s.starts[i])) start[i] = s.origin + s.starts[i];
      if (!Number.isNaN(s.ends[i])) end[i] = s.origin + s.ends[i];
    }
  }
  const out: number[] = [];
  for (let k = 0; k + 1 < n; k++) out.push(start[k + 1] - end[k]);
  return out.sort((a, b) => a - b);
}

async function measureMode(
  config: QueuedConfig,
  mode: Durability,
  rows: QueuedRow[],
): Promise<void> {
  const prefix = `bq${randomBytes(4).toString('hex')}`;
  const { app, engine, noop } = await engineApp(config, mode, prefix);
  const fanIn = fanInParents(config.fanIn);
  const chain = chainParents(config.chain);
  try {
    for (const count of config.workers) {
      const workers = await Promise.all(
        Array.from({ length: count }, () =>
          startWorker({
            REDIS_URL: config.redisUrl,
            BENCH_QUEUE_PREFIX: prefix,
            BENCH_QUEUE_CONCURRENCY: String(config.concurrency),
          }),
        ),
      );
      try {
        const rates: number[] = [];
        for (let r = 0; r < config.warmup + config.runs; r++) {
          await Promise.all(workers.map((w) => w.ask({ reset: fanIn.length })));
          const t = await timeExecution(engine, graphOf(fanIn, true));
          if (r >= config.warmup) rates.push(t.execNodesPerSec);
        }
        const row: QueuedRow = {
          strategy: 'QUEUED',
          mode,
          workers: count,
          fanInNodesPerSec: median(rates),
        };
        if (count === 1) {
          const p50: number[] = [];
          const p99: number[] = [];
          for (let r = 0; r < config.warmup + config.runs; r++) {
            await Promise.all(workers.map((w) => w.ask({ reset: chain.length })));
            await timeExecution(engine, graphOf(chain, true));
            const samples = (await Promise.all(workers.map((w) => w.ask({ collect: true })))) as {
              origin: number;
              starts: number[];
              ends: number[];
            }[];
            const h = hops(samples, chain.length);
            if (r >= config.warmup) {
              p50.push(percentile(h, 50));
              p99.push(percentile(h, 99));
            }
          }
          row.hopP50Ms = median(p50);
          row.hopP99Ms = median(p99);
        }
        rows.push(row);
        process.stderr.write(`[bench] queued ${mode} ${count} worker(s): ${JSON.stringify(row)}\n`);
      } finally {
        await Promise.all(
          workers.map(
            (w) =>
              new Promise((resolve) => {
                w.child.once('exit', resolve);
                w.child.send({ stop: true });
              }),
          ),
        );
      }
    }
    // DIRECT in the same engine: what QUEUED adds per node.
    const rates: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    for (let r = 0; r < config.warmup + config.runs; r++) {
      noop.reset(fanIn.length);
      const t = await timeExecution(engine, graphOf(fanIn, false));
      noop.reset(chain.length);
      await timeExecution(engine, graphOf(chain, false));
      const h = hops([{ origin: 0, starts: [...noop.starts], ends: [...noop.ends] }], chain.length);
      if (r >= config.warmup) {
        rates.push(t.execNodesPerSec);
        p50.push(percentile(h, 50));
        p99.push(percentile(h, 99));
      }
    }
    rows.push({
      strategy: 'DIRECT',
      mode,
      workers: 0,
      fanInNodesPerSec: median(rates),
      hopP50Ms: median(p50),
      hopP99Ms: median(p99),
    });
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_QUEUED_CONFIG!) as QueuedConfig;
  const result: QueuedResult = { rows: [] };
  for (const mode of config.modes) await measureMode(config, mode, result.rows);
  if (config.bullmq) {
    for (const workers of config.workers) {
      const b = await measureBullmq({
        redisUrl: config.redisUrl,
        fanIn: config.fanIn,
        chain: config.chain,
        workers,
        concurrency: config.concurrency,
        runs: config.runs,
        warmup: config.warmup,
      });
      result.redisVersion = b.redisVersion;
      result.rows.push({
        strategy: 'BullMQ',
        mode: 'redis',
        workers,
        fanInNodesPerSec: b.fanIn.jobsPerSec,
        ...(workers === 1 ? { hopP50Ms: b.chain.hopP50Ms, hopP99Ms: b.chain.hopP99Ms } : {}),
      });
      process.stderr.write(
        `[bench] BullMQ ${workers} worker(s): ${b.fanIn.jobsPerSec.toFixed(0)} jobs/s\n`,
      );
    }
  }
  process.send!(result, () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
