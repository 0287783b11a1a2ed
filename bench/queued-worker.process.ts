/**
 * One worker process of the `queued` bench suite: `OrchestrationWorkerModule` with BENCH_NOOP,
 * driven over IPC by queued.main.ts (`reset n` before a run, `collect` after it: the handler's
 * timestamps with this process's time origin, so hops can be taken across processes).
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OrchestrationWorkerModule } from '../libs/orchestration/src';
import { BenchNoopHandler } from './bench-noop.handler';

/** Messages from the suite. */
export type WorkerCommand = { reset: number } | { collect: true } | { stop: true };

/** Replies to the suite. */
export type WorkerReply =
  { ready: true } | { reset: true } | { origin: number; starts: number[]; ends: number[] };

async function main(): Promise<void> {
  @Module({
    imports: [
      OrchestrationWorkerModule.forRoot({
        redisUrl: process.env.REDIS_URL!,
        prefix: process.env.BENCH_QUEUE_PREFIX!,
        pool: 'bench',
        concurrency: Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 50),
      }),
    ],
    providers: [BenchNoopHandler],
  })
  class WorkerBenchModule {}
  const app = await NestFactory.createApplicationContext(WorkerBenchModule, { logger: ['error'] });
  await app.init();
  const noop = app.get(BenchNoopHandler);
  const send = (reply: WorkerReply) => process.send!(reply);
  process.on('message', (command: WorkerCommand) => {
    if ('reset' in command) {
      noop.reset(command.reset);
      send({ reset: true });
    } else if ('collect' in command) {
      send({ origin: performance.timeOrigin, starts: [...noop.starts], ends: [...noop.ends] });
    } else {
      void app.close().then(() => process.exit(0));
    }
  });
  send({ ready: true });
}

void main();
