import type { Connection, mongo } from 'mongoose';
import { pendingNodeState } from '../libs/orchestration/src/state-tracker/node-state.factory';

type Document = mongo.Document;

/** A node-state document as the store keeps it (string `_id`). */
interface NodeStateDoc extends Document {
  _id: string;
}

/** The server's own rate of the store's kind of write. */
export interface MongoCeiling {
  /** Documents in the collection (same as the engine's node-state collection had). */
  collectionDocs: number;
  ops: number;
  /** Updates per bulkWrite command. */
  chunk: number;
  ms: number;
  opsPerSec: number;
}

/** FerretDB's buildInfo carries `ferretdbVersion`; the store detects it the same way. */
export async function isFerretDb(connection: Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}

/** Updates per bulkWrite as the store sends them: 20 on FerretDB, otherwise all in one. */
export async function storeChunkSize(connection: Connection, ops: number): Promise<number> {
  const forced = Number(process.env.BENCH_CEILING_CHUNK);
  if (Number.isInteger(forced) && forced > 0) return forced;
  return (await isFerretDb(connection)) ? 20 : Math.max(1, ops);
}

/**
 * Fills a fresh collection (same unique index as `trellis_node_states`) with `docs` pending
 * node-state documents, then times one conditional updateOne per document, each exactly what
 * the engine writes for a node that went pending -> ready -> running -> completed in one tick
 * (filter: _id + status + version; $set of the fields, $push of three history entries), sent
 * through the native driver in unordered bulkWrites of `chunk`, one after the other.
 * @throws Error when an update does not match.
 */
export async function measureMongoCeiling(
  connection: Connection,
  docs: number,
  chunk: number,
): Promise<MongoCeiling> {
  const collection = connection.db!.collection<NodeStateDoc>('bench_ceiling');
  await collection.drop().catch(() => undefined);
  await collection.createIndex({ executionId: 1, nodeId: 1 }, { unique: true });
  const executionId = 'ceiling';
  const now = new Date();
  await collection.insertMany(
    Array.from({ length: docs }, (_, i) => ({
      _id: `${executionId}/n${i}`,
      ...pendingNodeState(executionId, `n${i}`),
    })),
    { ordered: false },
  );
  const ops: mongo.AnyBulkWriteOperation<NodeStateDoc>[] = Array.from({ length: docs }, (_, i) => ({
    updateOne: {
      filter: { _id: `${executionId}/n${i}`, status: 'pending', version: 0 },
      update: completedUpdate(now),
    },
  }));
  let matched = 0;
  const t0 = performance.now();
  for (let i = 0; i < ops.length; i += chunk) {
    matched += (await collection.bulkWrite(ops.slice(i, i + chunk), { ordered: false }))
      .matchedCount;
  }
  const ms = performance.now() - t0;
  if (matched !== docs) throw new Error(`ceiling: ${matched} of ${docs} updates matched`);
  await collection.drop().catch(() => undefined);
  return { collectionDocs: docs, ops: docs, chunk, ms, opsPerSec: (docs * 1000) / ms };
}

function completedUpdate(at: Date): Document {
  const entry = (from: string, to: string) => ({ from, to, at, by: 'bench', attempt: 1 });
  return {
    $set: {
      attempts: 1,
      startedAt: at,
      deadlineAt: null,
      nextAttemptAt: null,
      completedAt: at,
      output: null,
      error: null,
      status: 'completed',
      version: 3,
    },
    $push: {
      history: {
        $each: [
          entry('pending', 'ready'),
          entry('ready', 'running'),
          entry('running', 'completed'),
        ],
      },
    },
  };
}
