import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import { Connection } from 'mongoose';
import { Durability, ExecutionEngine, OrchestrationModule } from '../libs/orchestration/src';
import { ExecutionStatsService, TrellisMetrics } from '../libs/orchestration/src/http';
import { ExecutionCounts } from '../libs/orchestration/src/http/telemetry/execution-counts';
import { BenchNoopHandler } from './bench-noop.handler';
import { JournalWriteMeter } from './journal-write.meter';

/** Where the benchmark app keeps state (and, on mongo, how journal writes relate to launches). */
export type BenchTarget =
  { store: 'memory' } | { store: 'mongo'; uri: string; dbName: string; durability?: Durability };

/** The host app of one benchmark run, composed the way a host app composes the library. */
@Module({})
export class BenchAppModule {
  /**
   * The library on `target`'s store, plus BENCH_NOOP and the journal write meter; on mongo,
   * the host's own connection.
   */
  static forTarget(target: BenchTarget): DynamicModule {
    const host =
      target.store === 'mongo'
        ? [MongooseModule.forRoot(target.uri, { dbName: target.dbName })]
        : [];
    return {
      module: BenchAppModule,
      imports: [
        ScheduleModule.forRoot(),
        ...host,
        // NOTE: default options (64 workers, 5 min node timeout): what a host app gets.
        OrchestrationModule.forRoot({
          store: target.store,
          instanceId: 'bench',
          durability: target.store === 'mongo' ? target.durability : undefined,
        }),
      ],
      // NOTE: BENCH_TELEMETRY=1 adds what the server subscribes to events$ (/stats, /metrics).
      providers: [
        BenchNoopHandler,
        // NOTE: on mongo only, so the in-memory scenarios measure the library untouched.
        ...(target.store === 'mongo' ? [JournalWriteMeter] : []),
        ...(process.env.BENCH_TELEMETRY === '1'
          ? [ExecutionCounts, ExecutionStatsService, TrellisMetrics]
          : []),
      ],
    };
  }
}

/** A started benchmark app and the pieces the benchmark drives. */
export interface BenchApp {
  app: INestApplicationContext;
  engine: ExecutionEngine;
  noop: BenchNoopHandler;
  /** Counts the store's writes (mongo target only). */
  writes?: JournalWriteMeter;
  /** The mongoose connection (mongo target only). */
  connection?: Connection;
  close(): Promise<void>;
}

/** Boots the app (errors-only logging, so the table stays readable). */
export async function startBenchApp(target: BenchTarget): Promise<BenchApp> {
  const app = await NestFactory.createApplicationContext(BenchAppModule.forTarget(target), {
    logger: ['error'],
  });
  await app.init();
  return {
    app,
    engine: app.get(ExecutionEngine),
    noop: app.get(BenchNoopHandler),
    writes: target.store === 'mongo' ? app.get(JournalWriteMeter) : undefined,
    connection: target.store === 'mongo' ? app.get<Connection>(getConnectionToken()) : undefined,
    close: () => app.close(),
  };
}
