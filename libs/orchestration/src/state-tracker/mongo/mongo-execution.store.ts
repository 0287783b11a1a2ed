import { Model } from 'mongoose';
import {
  ApplyResult,
  ChangeBatch,
  ExecutionQuery,
  ExecutionRecord,
  ExecutionStore,
  GraphRecord,
  NodeStateRecord,
} from '../execution-store.interface';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from '../status.enum';
import { TrellisExecution } from './execution.schema';
import { TrellisGraph } from './graph.schema';
import { TrellisIdempotencyKey } from './idempotency-key.schema';
import { MongoChangeWriter } from './mongo-change.writer';
import { MongoExecutionCreator } from './mongo-execution.creator';
import {
  nodeStateId,
  toExecutionRecord,
  toGraphDoc,
  toGraphRecord,
  toNodeStateRecord,
} from './mongo-record.mapper';
import { chunks } from './mongo-write.utils';
import { TrellisNodeState } from './node-state.schema';

const ACTIVE = Object.values(ExecutionStatus).filter((s) => !TERMINAL_EXECUTION_STATUSES.has(s));
const TERMINAL = [...TERMINAL_EXECUTION_STATUSES];
/** Ids per `$in` of a cleanup round. */
const DELETE_CHUNK = 10_000;
/** findAndModify calls in flight at once while claiming. */
const CLAIM_CONCURRENCY = 8;

/** Tuning of `MongoExecutionStore` for the server behind it. */
export interface MongoExecutionStoreOptions {
  /**
   * Most updates sent in one write command; a larger batch goes out as several, one after the
   * other. Default: no limit (one bulkWrite per batch). `MongoStoreModule` sets 20 on FerretDB,
   * whose update command holds one backend connection per statement until it ends.
   */
  writeBatchSize?: number;
}

/**
 * The durable store on MongoDB (or a MongoDB-wire server such as FerretDB) through mongoose.
 * Every state change is one conditional update; creation is idempotent without transactions
 * (see `MongoExecutionCreator`, `MongoChangeWriter`). Built by `MongoStoreModule`.
 */
export class MongoExecutionStore implements ExecutionStore {
  readonly durable = true;
  private readonly creator: MongoExecutionCreator;
  private readonly writer: MongoChangeWriter;

  constructor(
    private readonly graphs: Model<TrellisGraph>,
    private readonly executions: Model<TrellisExecution>,
    private readonly nodes: Model<TrellisNodeState>,
    private readonly keys: Model<TrellisIdempotencyKey>,
    options: MongoExecutionStoreOptions = {},
  ) {
    this.creator = new MongoExecutionCreator(executions, nodes, keys);
    this.writer = new MongoChangeWriter(executions, nodes, options.writeBatchSize);
  }

  get description(): string {
    return `mongodb (database ${this.executions.db.name})`;
  }

  async saveGraph(graph: GraphRecord): Promise<void> {
    await this.graphs.replaceOne({ _id: graph.id }, toGraphDoc(graph), { upsert: true });
  }

  async findGraph(id: string): Promise<GraphRecord | null> {
    const doc = await this.graphs.findById(id).lean<TrellisGraph>();
    return doc ? toGraphRecord(doc) : null;
  }

  async listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]> {
    const filter = query.before === undefined ? {} : { _id: { $lt: query.before } };
    const docs = await this.graphs
      .find(filter)
      .sort({ _id: -1 })
      .limit(query.limit)
      .lean<TrellisGraph[]>();
    return docs.map(toGraphRecord);
  }

  async deleteGraph(id: string): Promise<boolean> {
    const { deletedCount } = await this.graphs.deleteOne({ _id: id });
    return deletedCount > 0;
  }

  /** @throws Error on duplicate node ids (nothing is written) or an execution id already taken. */
  async createExecution(
    execution: ExecutionRecord,
    nodes: NodeStateRecord[],
  ): Promise<{ execution: ExecutionRecord; created: boolean }> {
    return this.creator.create(execution, nodes);
  }

  async apply(batch: ChangeBatch): Promise<ApplyResult> {
    return this.writer.apply(batch);
  }

  async findExecution(id: string): Promise<ExecutionRecord | null> {
    const doc = await this.executions.findById(id).lean<TrellisExecution>();
    return doc ? toExecutionRecord(doc) : null;
  }

  async listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    const filter: Record<string, unknown> = {};
    if (query.graphId) filter.graphId = query.graphId;
    if (query.status?.length) filter.status = { $in: query.status };
    if (query.before !== undefined) filter._id = { $lt: query.before };
    const docs = await this.executions
      .find(filter)
      .sort({ _id: -1 })
      .limit(query.limit)
      .lean<TrellisExecution[]>();
    return docs.map(toExecutionRecord);
  }

  async hasActiveExecutions(graphId: string): Promise<boolean> {
    return (await this.executions.exists({ graphId, status: { $in: ACTIVE } })) !== null;
  }

  async findNodeStates(executionId: string): Promise<NodeStateRecord[]> {
    const docs = await this.nodes.find({ executionId }).lean<TrellisNodeState[]>();
    return docs.map(toNodeStateRecord);
  }

  async findNodeState(executionId: string, nodeId: string): Promise<NodeStateRecord | null> {
    const doc = await this.nodes
      .findById(nodeStateId(executionId, nodeId))
      .lean<TrellisNodeState>();
    return doc ? toNodeStateRecord(doc) : null;
  }

  /**
   * Each candidate is taken with one findOneAndUpdate whose filter repeats the owner and
   * heartbeat it was found with, so of two instances claiming at once only one wins it.
   */
  async claimExecutions(owner: string, staleBefore: Date, now: Date): Promise<ExecutionRecord[]> {
    const candidates = await this.executions
      .find(
        {
          status: { $in: ACTIVE },
          $or: [
            { owner },
            { owner: null },
            { heartbeatAt: null },
            { heartbeatAt: { $lt: staleBefore } },
          ],
        },
        { owner: 1, heartbeatAt: 1 },
      )
      .sort({ _id: 1 })
      .lean<Pick<TrellisExecution, '_id' | 'owner' | 'heartbeatAt'>[]>();
    const claimed: ExecutionRecord[] = [];
    // NOTE: a few at a time: on FerretDB each findAndModify holds server connections while it runs.
    for (const slice of chunks(candidates, CLAIM_CONCURRENCY)) {
      const docs = await Promise.all(
        slice.map((c) => {
          const lease =
            c.owner === owner
              ? { owner }
              : { owner: c.owner ?? null, heartbeatAt: c.heartbeatAt ?? null };
          return this.executions
            .findOneAndUpdate(
              { _id: c._id, status: { $in: ACTIVE }, ...lease },
              { $set: { owner, heartbeatAt: now } },
              { returnDocument: 'after' },
            )
            .lean<TrellisExecution>();
        }),
      );
      for (const doc of docs) if (doc) claimed.push(toExecutionRecord(doc));
    }
    return claimed;
  }

  async heartbeat(owner: string, executionIds: string[], now: Date): Promise<void> {
    if (executionIds.length === 0) return;
    await this.executions.updateMany(
      { _id: { $in: executionIds }, owner },
      { $set: { heartbeatAt: now } },
    );
  }

  /** Node states and idempotency keys go first, so a crash midway leaves no orphans behind. */
  async deleteTerminalBefore(cutoff: Date): Promise<number> {
    const filter = { status: { $in: TERMINAL }, completedAt: { $lt: cutoff } };
    const doomed = await this.executions
      .find(filter, { _id: 1 })
      .lean<Pick<TrellisExecution, '_id'>[]>();
    let removed = 0;
    for (const ids of chunks(
      doomed.map((d) => d._id),
      DELETE_CHUNK,
    )) {
      await this.nodes.deleteMany({ executionId: { $in: ids } });
      await this.keys.deleteMany({ executionId: { $in: ids } });
      removed += (await this.executions.deleteMany({ ...filter, _id: { $in: ids } })).deletedCount;
    }
    return removed;
  }

  async countExecutionsByStatus(): Promise<Partial<Record<ExecutionStatus, number>>> {
    const groups = await this.executions.aggregate<{ _id: ExecutionStatus; count: number }>([
      { $group: { _id: '$status', count: { $sum: 1 } } },
    ]);
    return Object.fromEntries(groups.map((g) => [g._id, g.count]));
  }

  async ping(): Promise<void> {
    const db = this.executions.db.db;
    if (!db) throw new Error('MongoDB connection is not open');
    await db.command({ ping: 1 });
  }
}
