import { DynamicModule, Module } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { EXECUTION_STORE } from '../execution-store.interface';
import { TrellisCommand, TrellisCommandSchema } from './command.schema';
import { TrellisGraph, TrellisGraphSchema } from './graph.schema';
import { TrellisIdempotencyKey, TrellisIdempotencyKeySchema } from './idempotency-key.schema';
import { TrellisLease, TrellisLeaseSchema } from './lease.schema';
import { MongoExecutionStore } from './mongo-execution.store';

const MODELS = [
  { name: TrellisGraph.name, schema: TrellisGraphSchema },
  { name: TrellisIdempotencyKey.name, schema: TrellisIdempotencyKeySchema },
  { name: TrellisLease.name, schema: TrellisLeaseSchema },
  { name: TrellisCommand.name, schema: TrellisCommandSchema },
];

/**
 * Provides `EXECUTION_STORE` as a `MongoExecutionStore` on a connection the host app opened
 * with `MongooseModule.forRoot()`. The unpartitioned collections are registered here with
 * `forFeature`; the day partitions are made on first use (see `MongoPartitions`).
 */
@Module({})
export class MongoStoreModule {
  /** @param connectionName the host's named mongoose connection; default its default connection. */
  static register(connectionName?: string): DynamicModule {
    return {
      module: MongoStoreModule,
      imports: [MongooseModule.forFeature(MODELS, connectionName)],
      providers: [
        {
          provide: EXECUTION_STORE,
          useFactory: async (
            options: ResolvedOrchestrationOptions | undefined,
            connection: Connection,
            graphs: Model<TrellisGraph>,
            keys: Model<TrellisIdempotencyKey>,
            leases: Model<TrellisLease>,
            commands: Model<TrellisCommand>,
          ) => {
            await Promise.all(
              [graphs, keys, leases, commands].map((m: Model<any>) => m.createIndexes()),
            );
            return new MongoExecutionStore(
              connection,
              { graphs, keys, leases, commands },
              options?.checkpointEveryPages,
              options?.storeWriteTimeoutMs,
            );
          },
          inject: [
            // NOTE: optional: the store also works on its own (its contract suite builds it so).
            { token: TRELLIS_OPTIONS, optional: true },
            getConnectionToken(connectionName),
            ...MODELS.map((m) => getModelToken(m.name, connectionName)),
          ],
        },
      ],
      exports: [EXECUTION_STORE],
    };
  }
}
