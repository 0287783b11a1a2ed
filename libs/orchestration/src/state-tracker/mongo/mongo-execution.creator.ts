import { Model } from 'mongoose';
import { StoreRejectedError } from '../../errors';
import { ExecutionSummary } from '../execution-store.interface';
import { JournalPage } from '../journal/journal-page.interface';
import { TrellisIdempotencyKey } from './idempotency-key.schema';
import { MongoCreationBatch } from './mongo-creation.batch';
import { MongoExecutionIndex } from './mongo-execution.index';
import { isDuplicateKeyError, storeCall } from './mongo-errors';
import { MongoJournal } from './mongo-journal';

/**
 * Creates executions with single-document inserts only (no transaction, no partial index).
 * Page 0 of the journal is the commit point: the execution exists once it is stored. With an
 * idempotency key, `${graphId}:${key}` is inserted first into `trellis_idempotency_keys`; whoever
 * inserts it decides the execution id for everyone. The summary is written after page 0, from
 * page 0's content, by whoever finds it missing, so it always matches the journal.
 */
export class MongoExecutionCreator {
  private readonly batch: MongoCreationBatch;

  constructor(
    private readonly keys: Model<TrellisIdempotencyKey>,
    private readonly journal: MongoJournal,
    private readonly index: MongoExecutionIndex,
    writeTimeoutMs?: number,
  ) {
    this.batch = new MongoCreationBatch(journal, index, writeTimeoutMs);
  }

  async create(
    summary: ExecutionSummary,
    first: JournalPage,
  ): Promise<{ created: boolean; executionId: string }> {
    let id = summary.id;
    if (summary.idempotencyKey !== null) {
      const claimed = await this.claimKey(summary);
      if (claimed !== summary.id) {
        if (await this.exists(claimed)) return { created: false, executionId: claimed };
        // NOTE: the key's creator has not stored page 0 (it crashed, or is still writing):
        // write it under the key's id. The page 0 insert decides who created it.
        id = claimed;
      }
    }
    const page: JournalPage = { ...first, executionId: id };
    // NOTE: page 0, then the summary if page 0 was stored (batched with concurrent creations).
    const result = await this.batch.commit({ ...summary, id }, page);
    if (result.status === 'rejected') {
      throw new StoreRejectedError(`The store refused the new execution: ${result.message}`, {
        executionId: id,
      });
    }
    if (result.status === 'conflict') {
      if (summary.idempotencyKey === null) throw new Error(`duplicate execution id ${id}`);
      await this.repairSummary(id);
      return { created: false, executionId: id };
    }
    return { created: true, executionId: id };
  }

  /** The id the key was claimed with (the given one when this call claimed it). */
  private async claimKey(summary: ExecutionSummary): Promise<string> {
    const _id = `${summary.graphId}:${summary.idempotencyKey}`;
    for (;;) {
      try {
        await storeCall(() =>
          this.keys.collection.insertOne({
            _id,
            executionId: summary.id,
            createdAt: summary.createdAt,
          } as never),
        );
        return summary.id;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const key = await storeCall(() => this.keys.findById(_id).lean<TrellisIdempotencyKey>());
      // NOTE: the key vanished in between (retention removed it): claim it afresh.
      if (key) return key.executionId;
    }
  }

  /** Whether page 0 of an execution is stored; if so its summary is made sure of. */
  private async exists(id: string): Promise<boolean> {
    const first = await this.journal.page(id, 0);
    if (!first) return false;
    await this.repairSummary(id, first);
    return true;
  }

  /** Inserts the summary of a stored execution if it is missing (its creator crashed before). */
  private async repairSummary(id: string, first?: JournalPage): Promise<void> {
    if (await this.index.findSummary(id)) return;
    const page = first ?? (await this.journal.page(id, 0));
    if (!page?.creation) return;
    const c = page.creation;
    await this.insertSummary({
      id,
      graphId: c.graphId,
      input: c.input,
      createdAt: c.createdAt,
      idempotencyKey: c.idempotencyKey,
      createdBy: c.owner,
    });
  }

  private async insertSummary(summary: ExecutionSummary): Promise<void> {
    await this.index.insertSummary(summary).catch((error) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
  }
}
