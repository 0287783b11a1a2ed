import { DynamicModule, Logger, Module } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EXECUTION_STORE } from '../execution-store.interface';
import { TrellisExecution, TrellisExecutionSchema } from './execution.schema';
import { TrellisGraph, TrellisGraphSchema } from './graph.schema';
import { TrellisIdempotencyKey, TrellisIdempotencyKeySchema } from './idempotency-key.schema';
import { MongoExecutionStore, MongoExecutionStoreOptions } from './mongo-execution.store';
import { TrellisNodeState, TrellisNodeStateSchema } from './node-state.schema';

const MODELS = [
  { name: TrellisGraph.name, schema: TrellisGraphSchema },
  { name: TrellisExecution.name, schema: TrellisExecutionSchema },
  { name: TrellisNodeState.name, schema: TrellisNodeStateSchema },
  { name: TrellisIdempotencyKey.name, schema: TrellisIdempotencyKeySchema },
];

/**
 * Updates per write command on FerretDB 1.x: its update command keeps each statement's query
 * open until the command ends, and its SQLite backend has 100 connections, so a command of 100
 * statements never finishes. 20 leaves room for concurrent writers.
 */
const FERRETDB_WRITE_BATCH = 20;

async function isFerretDb(model: Model<any>): Promise<boolean> {
  const info = await model.db.db?.admin().command({ buildInfo: 1 });
  return typeof info?.ferretdbVersion === 'string';
}

async function storeOptions(model: Model<any>): Promise<MongoExecutionStoreOptions> {
  if (!(await isFerretDb(model))) return {};
  new Logger('Trellis').warn(
    'FerretDB detected: its conditional updates are not atomic (FerretDB#3040); run one Trellis instance per database',
  );
  return { writeBatchSize: FERRETDB_WRITE_BATCH };
}

/**
 * Provides `EXECUTION_STORE` as a `MongoExecutionStore` on a connection the host app opened
 * with `MongooseModule.forRoot()`. Its indexes (among them the unique execution + node index)
 * are created before the store is handed out.
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
            graphs: Model<TrellisGraph>,
            executions: Model<TrellisExecution>,
            nodes: Model<TrellisNodeState>,
            keys: Model<TrellisIdempotencyKey>,
          ) => {
            await Promise.all(
              [graphs, executions, nodes, keys].map((m: Model<any>) => m.createIndexes()),
            );
            return new MongoExecutionStore(
              graphs,
              executions,
              nodes,
              keys,
              await storeOptions(executions),
            );
          },
          inject: MODELS.map((m) => getModelToken(m.name, connectionName)),
        },
      ],
      exports: [EXECUTION_STORE],
    };
  }
}
