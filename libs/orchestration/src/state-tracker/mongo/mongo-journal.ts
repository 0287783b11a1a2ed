import {
  ExecutionCheckpoint,
  JournalPage,
  PageAppendResult,
} from '../journal/journal-page.interface';
import { JournalRead } from '../execution-store.interface';
import { TrellisCheckpoint } from './checkpoint.schema';
import { mongo } from 'mongoose';
import { TERMINAL_EXECUTION_STATUSES } from '../status.enum';
import { commonBy, decodeEntry, encodeEntry, StoredEntry } from './journal-entry.codec';
import { isRefusal, storeCall, toStoreError, writeErrorsOf } from './mongo-errors';
import { DayPartition, MongoPartitions, pad } from './mongo-partitions';
import { TrellisJournalPage } from './journal-page.schema';

/** Pages per insertMany. */
const INSERT_CHUNK = 1000;
/** Most pages read at once (exact `_id` lookups in parallel). */
const READ_WINDOW = 16;
/** Where the checkpoint of an ended execution is kept (after every real page number). */
const ENDED = 9_999_999_999;

/** The `_id` of page `page` of an execution's journal (and of a checkpoint after that page). */
export function pageId(executionId: string, page: number): string {
  return `${executionId}:${pad(page)}`;
}

/**
 * Journal pages and checkpoints on MongoDB. Pages are only ever inserted: a page whose `_id`
 * is taken was written by someone else (a `conflict`), unless its writer is the caller (an
 * insert retried after a timeout that had in fact succeeded). Reads are exact `_id` lookups.
 * A page stores its entries as one BSON blob: the store never looks inside them, and a
 * MongoDB-wire server takes one value far faster than thousands of subdocuments.
 */
export class MongoJournal {
  constructor(
    private readonly partitions: MongoPartitions,
    /** Checkpoints are written after every this many pages (aligned: after page K-1, 2K-1, ...). */
    private readonly checkpointEvery: number,
  ) {}

  /** @throws StoreUnavailableError when the server cannot be reached. */
  async append(pages: JournalPage[]): Promise<PageAppendResult[]> {
    const results: PageAppendResult[] = new Array(pages.length);
    const byDay = new Map<DayPartition, number[]>();
    pages.forEach((page, i) => {
      const partition = this.partitions.of(page.executionId);
      const indexes = byDay.get(partition);
      if (indexes) indexes.push(i);
      else byDay.set(partition, [i]);
    });
    for (const [partition, indexes] of byDay) {
      for (let from = 0; from < indexes.length; from += INSERT_CHUNK) {
        const slice = indexes.slice(from, from + INSERT_CHUNK);
        const slicePages = slice.map((i) => pages[i]);
        const stored = await this.insert(partition, slicePages);
        slice.forEach((i, k) => (results[i] = stored[k]));
      }
    }
    return results;
  }

  /**
   * The latest checkpoint (if asked) and the pages after it, or after `afterPage`. Every read is
   * an exact `_id` lookup (point reads of the primary key; a range would make a MongoDB-wire
   * server without pushdown scan the partition): pages are fetched in growing windows of
   * consecutive numbers until one is missing.
   */
  async read(
    executionId: string,
    options: { fromCheckpoint?: boolean; afterPage?: number },
  ): Promise<JournalRead> {
    const pages: JournalPage[] = [];
    let checkpoint: ExecutionCheckpoint | null = null;
    if (options.fromCheckpoint) {
      // NOTE: an ended execution reads in two lookups: its end checkpoint, and no page after it.
      const ended = await this.endCheckpoint(executionId);
      if (ended && !ended.next) return { checkpoint: ended.checkpoint, pages };
      checkpoint = ended ? ended.checkpoint : await this.alignedCheckpoint(executionId);
      if (ended) pages.push(ended.next!);
    }
    let next = (checkpoint ? checkpoint.page : (options.afterPage ?? -1)) + 1 + pages.length;
    for (let window = 2; ; window = Math.min(window * 2, READ_WINDOW)) {
      const batch = await Promise.all(
        Array.from({ length: window }, (_, k) => this.page(executionId, next + k)),
      );
      const missing = batch.indexOf(null);
      for (const page of missing < 0 ? batch : batch.slice(0, missing)) pages.push(page!);
      if (missing >= 0) break;
      next += window;
    }
    return { checkpoint, pages };
  }

  /**
   * The checkpoint written when the execution ended, and the page after it (a re-run's first)
   * if there is one: only without such a page is it current.
   */
  private async endCheckpoint(
    executionId: string,
  ): Promise<{ checkpoint: ExecutionCheckpoint; next: JournalPage | null } | null> {
    const checkpoint = await this.checkpoint(executionId, ENDED);
    if (!checkpoint) return null;
    return { checkpoint, next: await this.page(executionId, checkpoint.page + 1) };
  }

  /**
   * The latest of the checkpoints written every `checkpointEvery` pages, found by exact reads:
   * they sit after pages `K-1, 2K-1, ...`; the number is found by doubling, then halving. A
   * checkpoint that was never written only makes the read start earlier.
   */
  private async alignedCheckpoint(executionId: string): Promise<ExecutionCheckpoint | null> {
    const at = (j: number) => this.checkpoint(executionId, j * this.checkpointEvery - 1);
    let found = await at(1);
    if (!found) return null;
    let low = 1;
    let high = 2;
    for (;;) {
      const probe = await at(high);
      if (!probe) break;
      found = probe;
      low = high;
      high *= 2;
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      const probe = await at(middle);
      if (probe) {
        found = probe;
        low = middle;
      } else high = middle;
    }
    return found;
  }

  /** One page by its key, or null. */
  async page(executionId: string, page: number): Promise<JournalPage | null> {
    const doc = await storeCall(() =>
      this.partitions
        .of(executionId)
        .journal.findById(pageId(executionId, page))
        .lean<TrellisJournalPage>(),
    );
    return doc ? toPage(doc) : null;
  }

  private async checkpoint(executionId: string, page: number): Promise<ExecutionCheckpoint | null> {
    const doc = await storeCall(() =>
      this.partitions
        .of(executionId)
        .checkpoints.findById(pageId(executionId, page))
        .lean<TrellisCheckpoint>(),
    );
    return doc ? toCheckpoint(doc) : null;
  }

  async saveCheckpoint(checkpoint: ExecutionCheckpoint): Promise<void> {
    const partition = this.partitions.of(checkpoint.executionId);
    const ended = TERMINAL_EXECUTION_STATUSES.has(checkpoint.record.status);
    const doc: TrellisCheckpoint = {
      _id: pageId(checkpoint.executionId, checkpoint.page),
      ...checkpoint,
    };
    if (ended) {
      // NOTE: inserted once (an in-place update scans on a MongoDB-wire server without pushdown):
      // after a re-run the first end's checkpoint stays, and reads see that pages follow it.
      const _id = pageId(checkpoint.executionId, ENDED);
      await storeCall(() =>
        partition.checkpoints.collection.insertOne({ ...doc, _id } as never),
      ).catch((error) => {
        if ((error as { code?: number }).code !== 11000) throw error;
      });
      if ((checkpoint.page + 1) % this.checkpointEvery !== 0) return;
    }
    await storeCall(() => partition.checkpoints.collection.insertOne(doc as never)).catch(
      (error) => {
        if ((error as { code?: number }).code !== 11000) throw error;
      },
    );
  }

  private async insert(partition: DayPartition, pages: JournalPage[]): Promise<PageAppendResult[]> {
    let docs: TrellisJournalPage[];
    try {
      docs = pages.map(toDoc);
    } catch {
      // NOTE: a page that cannot be encoded (too large a blob) is refused on its own.
      return this.insertEach(partition, pages);
    }
    try {
      await partition.journal.collection.insertMany(docs as never[], { ordered: false });
      return pages.map(() => ({ status: 'stored' }));
    } catch (error) {
      // NOTE: a broken connection, or anything not known as a refusal, is retried as it is (a
      // page that did get stored comes back as this writer's own on the retry).
      const errors = writeErrorsOf(error);
      if (!errors && !isRefusal(error)) throw toStoreError(error);
      // NOTE: the whole command was refused (a page the driver would not even send, say):
      // insert one by one, so only the page at fault is refused.
      if (!errors) return this.insertEach(partition, pages);
      const results: PageAppendResult[] = pages.map(() => ({ status: 'stored' }));
      for (const w of errors) {
        results[w.index] =
          w.code === 11000
            ? await this.ownerOf(partition, pages[w.index])
            : { status: 'rejected', message: w.message };
      }
      return results;
    }
  }

  private async insertEach(
    partition: DayPartition,
    pages: JournalPage[],
  ): Promise<PageAppendResult[]> {
    const results: PageAppendResult[] = [];
    for (const page of pages) {
      try {
        const doc = toDoc(page);
        await partition.journal.collection.insertOne(doc as never);
        results.push({ status: 'stored' });
      } catch (error) {
        if ((error as { code?: number }).code === 11000)
          results.push(await this.ownerOf(partition, page));
        else if (isRefusal(error))
          results.push({ status: 'rejected', message: refusalMessage(error) });
        else throw toStoreError(error);
      }
    }
    return results;
  }

  /** A page whose key was taken: ours (a retried insert) or a rival's. */
  private async ownerOf(partition: DayPartition, page: JournalPage): Promise<PageAppendResult> {
    const stored = await storeCall(() =>
      partition.journal
        .findById(pageId(page.executionId, page.page), { writer: 1 })
        .lean<Pick<TrellisJournalPage, 'writer'>>(),
    );
    return stored?.writer === page.writer ? { status: 'stored' } : { status: 'conflict' };
  }
}

function toDoc(page: JournalPage): TrellisJournalPage {
  const by = commonBy(page.entries);
  const doc: TrellisJournalPage = {
    _id: pageId(page.executionId, page.page),
    executionId: page.executionId,
    page: page.page,
    writer: page.writer,
    at: page.at,
    firstSeq: page.entries[0]?.seq ?? 0,
    by,
    entries: new mongo.Binary(
      mongo.BSON.serialize({ e: page.entries.map((entry) => encodeEntry(entry, by)) }),
    ),
  };
  if (page.creation) doc.creation = page.creation;
  return doc;
}

function toPage(doc: TrellisJournalPage): JournalPage {
  const page: JournalPage = {
    executionId: doc.executionId,
    page: doc.page,
    writer: doc.writer,
    at: doc.at,
    entries: (mongo.BSON.deserialize(doc.entries.buffer).e as StoredEntry[]).map((stored, i) =>
      decodeEntry(stored, doc.firstSeq + i, doc.by),
    ),
  };
  if (doc.creation) page.creation = doc.creation;
  return page;
}

function toCheckpoint(doc: TrellisCheckpoint): ExecutionCheckpoint {
  const { _id: _id, ...checkpoint } = doc;
  return checkpoint;
}

/** What a refused page is told with: the driver's words, and what they mean when it is the size. */
function refusalMessage(error: unknown): string {
  const { name, message } = error as Error;
  return name === 'RangeError' || /larger than the maximum size/.test(message)
    ? `a journal page is over the store's document size limit (${message})`
    : message;
}
