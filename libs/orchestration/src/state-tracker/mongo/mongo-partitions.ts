import { Connection, Model, Schema } from 'mongoose';
import { TrellisCheckpoint, TrellisCheckpointSchema } from './checkpoint.schema';
import { TrellisExecutionOutcome, TrellisExecutionOutcomeSchema } from './execution-outcome.schema';
import { TrellisExecutionSummary, TrellisExecutionSummarySchema } from './execution-summary.schema';
import { TrellisJournalPage, TrellisJournalPageSchema } from './journal-page.schema';

/** The collections of one day partition. */
export interface DayPartition {
  day: string;
  journal: Model<TrellisJournalPage>;
  checkpoints: Model<TrellisCheckpoint>;
  executions: Model<TrellisExecutionSummary>;
  outcomes: Model<TrellisExecutionOutcome>;
  /** Resolves once its indexes exist. */
  ready: Promise<void>;
}

const KINDS = {
  journal: TrellisJournalPageSchema,
  checkpoints: TrellisCheckpointSchema,
  executions: TrellisExecutionSummarySchema,
  outcomes: TrellisExecutionOutcomeSchema,
} satisfies Record<string, Schema>;

/** Collection name prefixes of the partitioned kinds. */
export const PARTITION_PREFIX = 'trellis_';
const PARTITIONED = /^trellis_(journal|checkpoints|executions|outcomes)_(\d{8})$/;

/** The UTC day (yyyymmdd) an id made by `newId()` was made on: its partition. */
export function dayOf(id: string): string {
  const seconds = parseInt(id.slice(0, 8), 16);
  return new Date(seconds * 1000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A page or checkpoint number as it appears in an `_id` (sorts as a number). */
export function pad(n: number): string {
  return String(n).padStart(10, '0');
}

/**
 * Day partitions of the per-execution collections: an execution's journal, checkpoints,
 * summary and outcomes live in the collections of the UTC day its id was made on, found from
 * the id alone. On a server where every read scans its collection (FerretDB), reads cost what one
 * day holds, and retention drops whole days instead of deleting documents.
 */
export class MongoPartitions {
  private readonly cache = new Map<string, DayPartition>();

  constructor(private readonly connection: Connection) {}

  /** The partition of an execution id. */
  of(executionId: string): DayPartition {
    return this.day(dayOf(executionId));
  }

  /** The partition of a day (yyyymmdd); its collections are created on first write. */
  day(day: string): DayPartition {
    let partition = this.cache.get(day);
    if (!partition) {
      const models = Object.fromEntries(
        Object.entries(KINDS).map(([kind, schema]) => {
          const name = `${PARTITION_PREFIX}${kind}_${day}`;
          return [kind, this.connection.models[name] ?? this.connection.model(name, schema, name)];
        }),
      ) as Omit<DayPartition, 'day' | 'ready'>;
      const ready = Promise.all([
        models.executions.createIndexes(),
        models.outcomes.createIndexes(),
      ]).then(() => undefined);
      // NOTE: a failed index build is retried with the next partition lookup after a restart;
      // queries work without the indexes, only slower.
      ready.catch(() => this.cache.delete(day));
      partition = { day, ...models, ready };
      this.cache.set(day, partition);
    }
    return partition;
  }

  /** The days that have collections, newest first. */
  async days(): Promise<string[]> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    const names = await db.listCollections({}, { nameOnly: true }).toArray();
    const days = new Set<string>();
    for (const { name } of names) {
      const match = PARTITIONED.exec(name);
      if (match) days.add(match[2]);
    }
    return [...days].sort().reverse();
  }

  /** Drops every collection of a day. */
  async drop(day: string): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    for (const kind of Object.keys(KINDS)) {
      await db.dropCollection(`${PARTITION_PREFIX}${kind}_${day}`).catch(() => false);
      this.connection.deleteModel(`${PARTITION_PREFIX}${kind}_${day}`);
    }
    this.cache.delete(day);
  }
}
