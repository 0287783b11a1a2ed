/**
 * Runs the execution store contract against `MongoExecutionStore`, wired the way a host app
 * wires it (`MongooseModule.forRoot` + `MongoStoreModule.register()`), on the server that
 * MONGODB_URI points at (FerretDB by default, see test/setup/global-setup.ts).
 */
import { randomUUID } from 'node:crypto';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { newId } from '@trellis/orchestration/ids';
import { ExecutionStatus } from '@trellis/orchestration/state-tracker/status.enum';
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

describe('MongoExecutionStore after a creator crashed midway', () => {
  let moduleRef: TestingModule;
  let store: ExecutionStore;
  let connection: Connection;

  beforeAll(async () => {
    const dbName = `trellis_store_crash_${Date.now()}_${randomUUID().slice(0, 8)}`;
    moduleRef = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(process.env.MONGODB_URI!, { dbName }),
        MongoStoreModule.register(),
      ],
    }).compile();
    store = moduleRef.get<ExecutionStore>(EXECUTION_STORE);
    connection = moduleRef.get<Connection>(getConnectionToken());
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await moduleRef.close();
  });

  const creation = (id: string, graphId: string, key: string | null) => ({
    summary: {
      id,
      graphId,
      input: {},
      createdAt: new Date(),
      idempotencyKey: key,
      createdBy: 'crashed',
    },
    first: {
      executionId: id,
      page: 0,
      writer: 'crashed#1',
      at: new Date(),
      creation: {
        graphId,
        input: {},
        createdAt: new Date(),
        idempotencyKey: key,
        owner: 'crashed',
      },
      entries: [
        {
          kind: 'execution' as const,
          seq: 1,
          at: new Date(),
          by: 'api',
          from: 'none' as const,
          to: ExecutionStatus.PENDING,
        },
      ],
    },
  });

  it('returns the execution a crashed creator stored under a key, and writes its missing summary', async () => {
    const graphId = newId();
    const id = newId();
    // NOTE: what a creator that died after page 0 leaves: the key and page 0, no summary.
    await connection
      .collection('trellis_idempotency_keys')
      .insertOne({ _id: `${graphId}:k` as never, executionId: id, createdAt: new Date() });
    await store.appendPages([creation(id, graphId, 'k').first]);
    expect(await store.findSummary(id)).toBeNull();

    const retry = creation(newId(), graphId, 'k');
    expect(await store.createExecution(retry.summary, retry.first)).toEqual({
      created: false,
      executionId: id,
    });
    expect(await store.findSummary(id)).toMatchObject({ id, graphId, createdBy: 'crashed' });
    expect(await store.findCreatedBy('crashed', '000000000000000000000000')).toContain(id);
  });

  it('creates the execution under the key of a creator that died before page 0', async () => {
    const graphId = newId();
    const claimed = newId();
    await connection
      .collection('trellis_idempotency_keys')
      .insertOne({ _id: `${graphId}:k2` as never, executionId: claimed, createdAt: new Date() });
    const retry = creation(newId(), graphId, 'k2');
    expect(await store.createExecution(retry.summary, retry.first)).toEqual({
      created: true,
      executionId: claimed,
    });
    expect((await store.readJournal(claimed, {})).pages).toHaveLength(1);
    expect(await store.findSummary(claimed)).toMatchObject({ id: claimed, graphId });
  });
});
