/**
 * Pins the MongoDB wire features the execution store relies on, against whatever server
 * MONGODB_URI points at (FerretDB by default, see test/setup/global-setup.ts).
 */
import { randomUUID } from 'node:crypto';
import mongoose, { Connection, Model, Schema, Types } from 'mongoose';

interface NodeStateDoc {
  _id: Types.ObjectId;
  executionId: string;
  nodeId: string;
  status: string;
  version: number;
  attempts: number;
  log: string[];
  updatedAt: Date;
}

const nodeStateSchema = new Schema<NodeStateDoc>(
  {
    executionId: { type: String, required: true },
    nodeId: { type: String, required: true },
    status: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    attempts: { type: Number, required: true, default: 0 },
    log: { type: [String], default: [] },
    updatedAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'node_states', versionKey: false, autoIndex: false },
);
nodeStateSchema.index(
  { executionId: 1, nodeId: 1 },
  { unique: true, name: 'executionId_nodeId_unique' },
);

const DUPLICATE_KEY = 11000;

jest.setTimeout(30_000);

describe('MongoDB wire features used by the execution store', () => {
  let conn: Connection;
  let NodeState: Model<NodeStateDoc>;
  const dbName = `trellis_int_${Date.now()}_${randomUUID().slice(0, 8)}`;

  /** A fresh execution id per test keeps the tests independent within one collection. */
  const newExecution = () => `exec-${randomUUID()}`;
  const seed = (executionId: string, count: number, extra: Partial<NodeStateDoc> = {}) =>
    NodeState.insertMany(
      Array.from({ length: count }, (_, i) => ({
        executionId,
        nodeId: `n${i}`,
        status: 'pending',
        ...extra,
      })),
    );

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri)
      throw new Error('MONGODB_URI is not set (test/setup/global-setup.ts should have set it)');
    conn = await mongoose
      .createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 })
      .asPromise();
    NodeState = conn.model<NodeStateDoc>('NodeState', nodeStateSchema);
    await NodeState.createCollection();
    await NodeState.createIndexes();
  });

  afterAll(async () => {
    if (!conn) return;
    await conn.dropDatabase();
    await conn.close();
  });

  it('creates the unique compound index on {executionId, nodeId} and rejects a duplicate with 11000', async () => {
    const indexes = await NodeState.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'executionId_nodeId_unique',
          key: { executionId: 1, nodeId: 1 },
          unique: true,
        }),
      ]),
    );

    const executionId = newExecution();
    await NodeState.create({ executionId, nodeId: 'a', status: 'pending' });
    await expect(
      NodeState.create({ executionId, nodeId: 'a', status: 'ready' }),
    ).rejects.toMatchObject({
      code: DUPLICATE_KEY,
    });
    // Same nodeId in another execution is fine: the key is compound.
    await NodeState.create({ executionId: newExecution(), nodeId: 'a', status: 'pending' });
    expect(await NodeState.countDocuments({ executionId })).toBe(1);
  });

  it('insertMany ordered:false inserts everything but the duplicate and reports it', async () => {
    const executionId = newExecution();
    await NodeState.create({ executionId, nodeId: 'n2', status: 'pending' });

    const docs = Array.from({ length: 5 }, (_, i) => ({
      executionId,
      nodeId: `n${i}`,
      status: 'pending',
    }));
    const err = await NodeState.insertMany(docs, { ordered: false }).then(
      () => undefined,
      (e: unknown) =>
        e as { code?: number; writeErrors?: Array<{ code?: number; index?: number }> },
    );

    expect(err).toBeDefined();
    expect(err?.writeErrors).toHaveLength(1);
    expect(err?.writeErrors?.[0]).toMatchObject({ code: DUPLICATE_KEY, index: 2 });
    // ordered:false: the docs after the failing one (n3, n4) were still inserted.
    const nodeIds = (await NodeState.find({ executionId }).lean()).map((d) => d.nodeId).sort();
    expect(nodeIds).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  });

  // Kept at 20 ops on purpose: FerretDB 1.24.2 keeps one backend connection per *matched* updateOne
  // open until the whole `update` command ends, so a single command with >= 50 (PostgreSQL pool) or
  // >= 100 (SQLite pool) matching ops, or concurrent commands adding up to that, deadlock the server.
  it('bulkWrite of conditional updateOne ops ($set/$inc/$push $each) reports matchedCount, skipping a stale op', async () => {
    const executionId = newExecution();
    const seeded = await seed(executionId, 20);
    const stale = 'n7';

    const ops = seeded.map((doc, i) => {
      // Half the ops address the doc by _id, half by its {executionId, nodeId} key.
      const key = i % 2 === 0 ? { _id: doc._id } : { executionId, nodeId: doc.nodeId };
      return {
        updateOne: {
          filter: { ...key, status: 'pending', version: doc.nodeId === stale ? 5 : 0 },
          update: {
            $set: { status: 'ready', updatedAt: new Date() },
            $inc: { version: 1, attempts: 1 },
            $push: { log: { $each: ['queued', `ready:${doc.nodeId}`] } },
          },
        },
      };
    });
    const result = await NodeState.bulkWrite(ops, { ordered: false });

    expect(result.matchedCount).toBe(19);
    expect(result.modifiedCount).toBe(19);

    const after = await NodeState.find({ executionId }).lean();
    const byNode = new Map(after.map((d) => [d.nodeId, d]));
    expect(byNode.get('n3')).toMatchObject({
      status: 'ready',
      version: 1,
      attempts: 1,
      log: ['queued', 'ready:n3'],
    });
    expect(byNode.get('n4')).toMatchObject({
      status: 'ready',
      version: 1,
      attempts: 1,
      log: ['queued', 'ready:n4'],
    });
    expect(byNode.get(stale)).toMatchObject({
      status: 'pending',
      version: 0,
      attempts: 0,
      log: [],
    });

    // The same ops again: every filter now misses (status and version moved on).
    const replay = await NodeState.bulkWrite(ops, { ordered: false });
    expect(replay.matchedCount).toBe(0);
    expect(replay.modifiedCount).toBe(0);
  });

  it('findOneAndUpdate with a conditional filter returns the new document, or null when the condition fails', async () => {
    const executionId = newExecution();
    await NodeState.create({ executionId, nodeId: 'n0', status: 'ready', version: 3 });

    const claimed = await NodeState.findOneAndUpdate(
      { executionId, nodeId: 'n0', status: 'ready', version: 3 },
      {
        $set: { status: 'running' },
        $inc: { version: 1, attempts: 1 },
        $push: { log: { $each: ['claimed'] } },
      },
      { returnDocument: 'after' },
    ).lean();
    expect(claimed).toMatchObject({ status: 'running', version: 4, attempts: 1, log: ['claimed'] });

    // A second claimant with the now-stale version gets nothing.
    const lost = await NodeState.findOneAndUpdate(
      { executionId, nodeId: 'n0', status: 'ready', version: 3 },
      { $set: { status: 'running' }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean();
    expect(lost).toBeNull();
  });

  it('updateMany updates only the matching documents', async () => {
    const executionId = newExecution();
    await seed(executionId, 6);
    await NodeState.updateMany(
      { executionId, nodeId: { $in: ['n0', 'n1'] } },
      { $set: { status: 'completed' } },
    );

    const result = await NodeState.updateMany(
      { executionId, status: 'pending' },
      { $set: { status: 'cancelled' }, $inc: { version: 1 } },
    );
    expect(result.matchedCount).toBe(4);
    expect(result.modifiedCount).toBe(4);
    expect(await NodeState.countDocuments({ executionId, status: 'cancelled', version: 1 })).toBe(
      4,
    );
    expect(await NodeState.countDocuments({ executionId, status: 'completed', version: 0 })).toBe(
      2,
    );
  });

  it('deleteMany with a date $lt filter removes only the older documents; countDocuments counts', async () => {
    const executionId = newExecution();
    const cutoff = new Date('2024-06-01T00:00:00Z');
    await NodeState.insertMany([
      {
        executionId,
        nodeId: 'old1',
        status: 'completed',
        updatedAt: new Date('2024-01-01T00:00:00Z'),
      },
      {
        executionId,
        nodeId: 'old2',
        status: 'completed',
        updatedAt: new Date('2024-05-31T23:59:59.999Z'),
      },
      { executionId, nodeId: 'edge', status: 'completed', updatedAt: cutoff },
      {
        executionId,
        nodeId: 'new1',
        status: 'completed',
        updatedAt: new Date('2025-01-01T00:00:00Z'),
      },
    ]);
    expect(await NodeState.countDocuments({ executionId })).toBe(4);
    expect(await NodeState.countDocuments({ executionId, updatedAt: { $lt: cutoff } })).toBe(2);

    const result = await NodeState.deleteMany({ executionId, updatedAt: { $lt: cutoff } });
    expect(result.deletedCount).toBe(2);
    const left = (await NodeState.find({ executionId }).lean()).map((d) => d.nodeId).sort();
    expect(left).toEqual(['edge', 'new1']);
  });

  it('aggregates $match + $group to count nodes by status', async () => {
    const executionId = newExecution();
    const statuses = [
      'pending',
      'running',
      'running',
      'completed',
      'completed',
      'completed',
      'failed',
    ];
    await NodeState.insertMany(
      statuses.map((status, i) => ({ executionId, nodeId: `n${i}`, status })),
    );
    // Noise in another execution must be excluded by $match.
    await seed(newExecution(), 3, { status: 'completed' });

    const counts = await NodeState.aggregate<{ _id: string; count: number }>([
      { $match: { executionId } },
      { $group: { _id: '$status', count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(counts).toEqual([
      { _id: 'completed', count: 3 },
      { _id: 'failed', count: 1 },
      { _id: 'pending', count: 1 },
      { _id: 'running', count: 2 },
    ]);
  });
});
