import { ExecutionQuery } from '../execution-record.interface';
import { ExecutionOutcome, ExecutionSummary, ListedExecution } from '../execution-store.interface';
import { matchesQuery, toListedExecution } from '../listed-execution';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from '../status.enum';
import { TrellisExecutionOutcome } from './execution-outcome.schema';
import { TrellisExecutionSummary } from './execution-summary.schema';
import { isDuplicateKeyError, storeCall, writeErrorsOf } from './mongo-errors';
import { DayPartition, MongoPartitions, dayOf, pad } from './mongo-partitions';

/** Summaries read per round while a page of a list is filled. */
const LIST_BATCH = 200;

/**
 * What lists and counts read: execution summaries (inserted by the creator) and outcomes
 * (inserted once an execution transition is in the journal), folded on read. Nothing here is
 * updated in place, and nothing here decides anything.
 */
export class MongoExecutionIndex {
  constructor(private readonly partitions: MongoPartitions) {}

  async insertSummary(summary: ExecutionSummary): Promise<void> {
    const partition = this.partitions.of(summary.id);
    await partition.ready.catch(() => undefined);
    const { id, ...rest } = summary;
    await storeCall(() => partition.executions.collection.insertOne({ _id: id, ...rest } as never));
  }

  /**
   * Inserts summaries, one insert per day partition; one already stored is fine.
   * @returns the error of each summary not stored, by execution id.
   * @throws StoreUnavailableError when the store cannot be reached.
   */
  async insertSummaries(summaries: ExecutionSummary[]): Promise<Map<string, unknown>> {
    const failed = new Map<string, unknown>();
    const byDay = new Map<DayPartition, ExecutionSummary[]>();
    for (const summary of summaries) {
      const partition = this.partitions.of(summary.id);
      const list = byDay.get(partition);
      if (list) list.push(summary);
      else byDay.set(partition, [summary]);
    }
    for (const [partition, list] of byDay) {
      await partition.ready.catch(() => undefined);
      const docs = list.map(({ id, ...rest }) => ({ _id: id, ...rest }));
      try {
        await storeCall(() =>
          partition.executions.collection.insertMany(docs as never[], { ordered: false }),
        );
      } catch (error) {
        const errors = writeErrorsOf(error);
        if (!errors) throw error;
        for (const w of errors) {
          if (w.code !== 11000) failed.set(list[w.index].id, new Error(w.message));
        }
      }
    }
    return failed;
  }

  async findSummary(id: string): Promise<ExecutionSummary | null> {
    const doc = await storeCall(() =>
      this.partitions.of(id).executions.findById(id).lean<TrellisExecutionSummary>(),
    );
    return doc ? toSummary(doc) : null;
  }

  /** Inserts outcomes; those already stored are skipped. */
  async recordOutcomes(outcomes: ExecutionOutcome[]): Promise<void> {
    const byDay = new Map<DayPartition, TrellisExecutionOutcome[]>();
    for (const o of outcomes) {
      const partition = this.partitions.of(o.executionId);
      const doc: TrellisExecutionOutcome = { _id: `${o.executionId}:${pad(o.seq)}`, ...o };
      const docs = byDay.get(partition);
      if (docs) docs.push(doc);
      else byDay.set(partition, [doc]);
    }
    for (const [partition, docs] of byDay) {
      await partition.ready.catch(() => undefined);
      await storeCall(() =>
        partition.outcomes.collection.insertMany(docs as never[], { ordered: false }),
      ).catch((error: unknown) => {
        // NOTE: outcomes stored by an earlier try of the same batch are duplicates, and fine.
        if (!isDuplicateKeyError(error)) throw error;
      });
    }
  }

  async list(query: ExecutionQuery): Promise<ListedExecution[]> {
    const out: ListedExecution[] = [];
    for (const day of await this.days(query.before)) {
      const partition = this.partitions.day(day);
      let before =
        query.before !== undefined && dayOf(query.before) === day ? query.before : undefined;
      for (;;) {
        const filter: Record<string, unknown> = {};
        if (query.graphId !== undefined) filter.graphId = query.graphId;
        if (before !== undefined) filter._id = { $lt: before };
        const docs = await storeCall(() =>
          partition.executions
            .find(filter)
            .sort({ _id: -1 })
            .limit(LIST_BATCH)
            .lean<TrellisExecutionSummary[]>(),
        );
        if (docs.length === 0) break;
        const outcomes = await this.outcomesOf(
          partition,
          docs.map((d) => d._id),
        );
        for (const doc of docs) {
          const listed = toListedExecution(toSummary(doc), outcomes.get(doc._id) ?? []);
          if (matchesQuery(listed, query)) out.push(listed);
          if (out.length === query.limit) return out;
        }
        if (docs.length < LIST_BATCH) break;
        before = docs[docs.length - 1]._id;
      }
    }
    return out;
  }

  async countByStatus(): Promise<Partial<Record<ExecutionStatus, number>>> {
    const counts: Partial<Record<ExecutionStatus, number>> = {};
    for (const day of await this.partitions.days()) {
      for (const status of await this.statuses(this.partitions.day(day), {})) {
        counts[status] = (counts[status] ?? 0) + 1;
      }
    }
    return counts;
  }

  async hasActive(graphId: string): Promise<boolean> {
    for (const day of await this.partitions.days()) {
      const statuses = await this.statuses(this.partitions.day(day), { graphId });
      if (statuses.some((s) => !TERMINAL_EXECUTION_STATUSES.has(s))) return true;
    }
    return false;
  }

  /** Ids of executions created by `instanceId` after the id `after`. */
  async createdBy(instanceId: string, after: string): Promise<string[]> {
    const ids: string[] = [];
    for (const day of await this.partitions.days()) {
      if (day < dayOf(after)) break;
      const docs = await storeCall(() =>
        this.partitions
          .day(day)
          .executions.find({ createdBy: instanceId, _id: { $gt: after } }, { _id: 1 })
          .lean<Pick<TrellisExecutionSummary, '_id'>[]>(),
      );
      ids.push(...docs.map((d) => d._id));
    }
    return ids;
  }

  private async days(before?: string): Promise<string[]> {
    const days = await this.partitions.days();
    return before === undefined ? days : days.filter((d) => d <= dayOf(before));
  }

  private async statuses(
    partition: DayPartition,
    filter: { graphId?: string },
  ): Promise<ExecutionStatus[]> {
    const docs = await storeCall(() =>
      partition.executions.find(filter).lean<TrellisExecutionSummary[]>(),
    );
    if (docs.length === 0) return [];
    const outcomes = await this.outcomesOf(
      partition,
      filter.graphId ? docs.map((d) => d._id) : null,
    );
    return docs.map((d) => toListedExecution(toSummary(d), outcomes.get(d._id) ?? []).status);
  }

  /** Outcomes by execution id, of the given executions (or all of the partition). */
  private async outcomesOf(
    partition: DayPartition,
    ids: string[] | null,
  ): Promise<Map<string, ExecutionOutcome[]>> {
    const docs = await storeCall(() =>
      partition.outcomes
        .find(ids ? { executionId: { $in: ids } } : {})
        .lean<TrellisExecutionOutcome[]>(),
    );
    const byId = new Map<string, ExecutionOutcome[]>();
    for (const { _id: _id, ...outcome } of docs) {
      const list = byId.get(outcome.executionId);
      if (list) list.push(outcome);
      else byId.set(outcome.executionId, [outcome]);
    }
    return byId;
  }
}

function toSummary(doc: TrellisExecutionSummary): ExecutionSummary {
  return {
    id: doc._id,
    graphId: doc.graphId,
    input: doc.input ?? {},
    createdAt: doc.createdAt,
    idempotencyKey: doc.idempotencyKey ?? null,
    createdBy: doc.createdBy,
  };
}
