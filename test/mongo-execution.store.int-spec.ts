/**
 * Runs the execution store contract against `MongoExecutionStore`, wired the way a host app
 * wires it (`MongooseModule.forRoot` + `MongoStoreModule.register()`), on the server that
 * MONGODB_URI points at (FerretDB by default, see test/setup/global-setup.ts).
 */
import { randomUUID } from 'node:crypto';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { Connection } from 'mongoose';
import {
  EXECUTION_STORE,
  ExecutionStore,
} from '@trellis/orchestration/state-tracker/execution-store.interface';
import { describeExecutionStoreContract } from '@trellis/orchestration/state-tracker/testing/execution-store.contract';
import { MongoStoreModule } from '@trellis/orchestration/state-tracker/mongo/mongo-store.module';

jest.setTimeout(30_000);

describeExecutionStoreContract('MongoExecutionStore', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set (test/setup/global-setup.ts should have set it)');
  const dbName = `trellis_store_${Date.now()}_${randomUUID().slice(0, 8)}`;
  const moduleRef = await Test.createTestingModule({
    imports: [
      MongooseModule.forRoot(uri, { dbName, serverSelectionTimeoutMS: 10_000 }),
      MongoStoreModule.register(),
    ],
  }).compile();
  const connection = moduleRef.get<Connection>(getConnectionToken());
  return {
    store: moduleRef.get<ExecutionStore>(EXECUTION_STORE),
    close: async () => {
      await connection.dropDatabase();
      await moduleRef.close();
    },
  };
});
