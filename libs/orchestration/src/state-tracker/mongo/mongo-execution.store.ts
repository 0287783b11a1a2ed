import { Connection, Model } from 'mongoose';
import { ExecutionQuery, GraphRecord } from '../execution-record.interface';
import {
  ExecutionCommand,
  ExecutionOutcome,
  ExecutionStore,
  ExecutionSummary,
  InstanceLease,
  JournalRead,
  ListedExecution,
} from '../execution-store.interface';
import {
  ExecutionCheckpoint,
  JournalPage,
  PageAppendResult,
} from '../journal/journal-page.interface';
import { ExecutionStatus } from '../status.enum';
import { TrellisCommand } from './command.schema';
import { TrellisGraph } from './graph.schema';
import { TrellisIdempotencyKey } from './idempotency-key.schema';
import { TrellisLease } from './lease.schema';
import { MongoExecutionCreator } from './mongo-execution.creator';
import { MongoExecutionIndex } from './mongo-execution.index';
import { storeCall } from './mongo-errors';
import { MongoJournal } from './mongo-journal';
import { MongoPartitions, dayOf } from './mongo-partitions';

/** Commands read per poll at most. */
const COMMANDS_PER_READ = 1000;

/** The unpartitioned collections of the store. */
export interface MongoStoreModels {
  graphs: Model<TrellisGraph>;
  keys: Model<TrellisIdempotencyKey>;
  leases: Model<TrellisLease>;
  commands: Model<TrellisCommand>;
}

/**
 * The durable store on MongoDB (or a MongoDB-wire server such as FerretDB) through mongoose.
 * Executions are append-only journals of pages keyed by (execution, page): every exclusion is a
 * unique-key insert, so it holds on any MongoDB-wire server. Per-execution collections are day
 * partitions (see `MongoPartitions`). Built by `MongoStoreModule`.
 */
export class MongoExecutionStore implements ExecutionStore {
  readonly durable = true;
  readonly synchronous = false;
  private readonly partitions: MongoPartitions;
  private readonly journal: MongoJournal;
  private readonly index: MongoExecutionIndex;
  private readonly creator: MongoExecutionCreator;

  constructor(
    private readonly connection: Connection,
    private readonly models: MongoStoreModels,
    /** See `ExecutionStore.checkpointEvery`. Default 64. */
    readonly checkpointEvery = 64,
    /** A creation's insert not answered within this is sent again. Default 5000 ms. */
    writeTimeoutMs = 5000,
  ) {
    this.partitions = new MongoPartitions(connection);
    this.journal = new MongoJournal(this.partitions, checkpointEvery);
    this.index = new MongoExecutionIndex(this.partitions);
    this.creator = new MongoExecutionCreator(models.keys, this.journal, this.index, writeTimeoutMs);
  }

  get description(): string {
    return `mongodb (database ${this.connection.name})`;
  }

  async saveGraph(graph: GraphRecord): Promise<void> {
    const { id, ...rest } = graph;
    await storeCall(() => this.models.graphs.collection.insertOne({ _id: id, ...rest } as never));
  }

  async findGraph(id: string): Promise<GraphRecord | null> {
    const doc = await storeCall(() => this.models.graphs.findById(id).lean<TrellisGraph>());
    return doc ? toGraphRecord(doc) : null;
  }

  async listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]> {
    const filter = query.before === undefined ? {} : { _id: { $lt: query.before } };
    const docs = await storeCall(() =>
      this.models.graphs.find(filter).sort({ _id: -1 }).limit(query.limit).lean<TrellisGraph[]>(),
    );
    return docs.map(toGraphRecord);
  }

  async deleteGraph(id: string): Promise<boolean> {
    const { deletedCount } = await storeCall(() => this.models.graphs.deleteOne({ _id: id }));
    return deletedCount > 0;
  }

  createExecution(
    summary: ExecutionSummary,
    first: JournalPage,
  ): Promise<{ created: boolean; executionId: string }> {
    return storeCall(() => this.creator.create(summary, first));
  }

  findSummary(id: string): Promise<ExecutionSummary | null> {
    return storeCall(() => this.index.findSummary(id));
  }

  appendPages(pages: JournalPage[]): Promise<PageAppendResult[]> {
    return storeCall(() => this.journal.append(pages));
  }

  readJournal(
    executionId: string,
    options: { fromCheckpoint?: boolean; afterPage?: number },
  ): Promise<JournalRead> {
    return storeCall(() => this.journal.read(executionId, options));
  }

  saveCheckpoint(checkpoint: ExecutionCheckpoint): Promise<void> {
    return storeCall(() => this.journal.saveCheckpoint(checkpoint));
  }

  recordOutcomes(outcomes: ExecutionOutcome[]): Promise<void> {
    return storeCall(() => this.index.recordOutcomes(outcomes));
  }

  listExecutions(query: ExecutionQuery): Promise<ListedExecution[]> {
    return storeCall(() => this.index.list(query));
  }

  countExecutionsByStatus(): Promise<Partial<Record<ExecutionStatus, number>>> {
    return storeCall(() => this.index.countByStatus());
  }

  hasActiveExecutions(graphId: string): Promise<boolean> {
    return storeCall(() => this.index.hasActive(graphId));
  }

  async renewLease(lease: InstanceLease): Promise<void> {
    const { instanceId, ...rest } = lease;
    await storeCall(() =>
      this.models.leases.collection.replaceOne({ _id: instanceId } as never, rest, {
        upsert: true,
      }),
    );
  }

  async readLeases(): Promise<InstanceLease[]> {
    const docs = await storeCall(() => this.models.leases.find().lean<TrellisLease[]>());
    return docs.map(({ _id, ...rest }) => ({ instanceId: _id, ...rest }));
  }

  async deleteLease(instanceId: string, incarnation: string): Promise<void> {
    await storeCall(() => this.models.leases.deleteOne({ _id: instanceId, incarnation }));
  }

  findCreatedBy(instanceId: string, after: string): Promise<string[]> {
    return storeCall(() => this.index.createdBy(instanceId, after));
  }

  async insertCommand(command: ExecutionCommand): Promise<void> {
    const { id, ...rest } = command;
    await storeCall(() => this.models.commands.collection.insertOne({ _id: id, ...rest } as never));
  }

  async readCommands(): Promise<ExecutionCommand[]> {
    const docs = await storeCall(() =>
      this.models.commands
        .find()
        .sort({ _id: 1 })
        .limit(COMMANDS_PER_READ)
        .lean<TrellisCommand[]>(),
    );
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  }

  async deleteCommands(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await storeCall(() => this.models.commands.deleteMany({ _id: { $in: ids } }));
  }

  /**
   * Drops each day partition whose whole day is before `cutoff` and that holds none of `keep`
   * (executions still active), then deletes commands and idempotency keys older than `cutoff`.
   */
  async removeEndedBefore(cutoff: Date, keep: ReadonlySet<string>): Promise<number> {
    const last = cutoff.toISOString().slice(0, 10).replaceAll('-', '');
    const kept = new Set([...keep].map(dayOf));
    let removed = 0;
    for (const day of await storeCall(() => this.partitions.days())) {
      if (day >= last || kept.has(day)) continue;
      const partition = this.partitions.day(day);
      removed += await storeCall(() => partition.executions.countDocuments());
      await storeCall(() => this.partitions.drop(day));
    }
    await storeCall(() => this.models.commands.deleteMany({ at: { $lt: cutoff } }));
    await storeCall(() => this.models.keys.deleteMany({ createdAt: { $lt: cutoff } }));
    return removed;
  }

  async ping(): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    await storeCall(() => db.command({ ping: 1 }));
  }
}

function toGraphRecord(doc: TrellisGraph): GraphRecord {
  return { id: doc._id, name: doc.name, definition: doc.definition, createdAt: doc.createdAt };
}
