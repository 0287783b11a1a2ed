import { ExecutionSummary } from '../execution-store.interface';
import { JournalPage, PageAppendResult } from '../journal/journal-page.interface';
import { MongoExecutionIndex } from './mongo-execution.index';
import { MongoJournal } from './mongo-journal';

interface Creation {
  summary: ExecutionSummary;
  page: JournalPage;
  resolve: (result: PageAppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of new executions: the page 0 of every creation that arrives while a batch is
 * being written goes into the next batch, as one insert of pages and one of summaries. An idle
 * store takes a creation at once; a busy one gets fewer, larger inserts (under load, the
 * requests of one event-loop turn share a round trip instead of queueing one behind another).
 *
 * An insert of pages 0 that does not answer within `writeTimeoutMs` is sent again, until the
 * store answers (a driver call can hang for good when its connection dies mid-command): the
 * batch's creations wait for that answer, since their pages may have been stored, and the
 * creations behind them are not held up by a call that will never return. A page that the lost
 * call did store comes back as this creation's own on the retry.
 */
export class MongoCreationBatch {
  private queue: Creation[] = [];
  private writing = false;

  constructor(
    private readonly journal: MongoJournal,
    private readonly index: MongoExecutionIndex,
    private readonly writeTimeoutMs = 5000,
  ) {}

  /**
   * Stores page 0, then (if it was stored) the summary. Resolves with what the page insert
   * said. @throws StoreUnavailableError when the store cannot be reached, or what it refused.
   */
  commit(summary: ExecutionSummary, page: JournalPage): Promise<PageAppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ summary, page, resolve, reject });
      // NOTE: setImmediate, not a timer: it runs after this turn's I/O callbacks, so the
      // requests read in one turn share a batch, at no added delay.
      if (!this.writing) setImmediate(() => void this.write());
    });
  }

  private async write(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue;
    this.queue = [];
    try {
      const results = await this.appendUntilAnswered(batch.map((c) => c.page));
      const stored = batch.filter((_, i) => results[i].status === 'stored');
      const failed = await this.index.insertSummaries(stored.map((c) => c.summary));
      batch.forEach((c, i) => {
        const error = failed.get(c.summary.id);
        if (error) c.reject(error);
        else c.resolve(results[i]);
      });
    } catch (error) {
      for (const c of batch) c.reject(error);
    } finally {
      this.writing = false;
      if (this.queue.length > 0) void this.write();
    }
  }

  /**
   * Appends the pages; a call that does not answer in time is abandoned and sent again (a call
   * that fails is not: its error is the creations' answer).
   */
  private async appendUntilAnswered(pages: JournalPage[]): Promise<PageAppendResult[]> {
    for (let attempt = 0; ; attempt++) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = Symbol('timed out');
      const answer = await Promise.race([
        this.journal.append(pages),
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), this.writeTimeoutMs);
          timer.unref();
        }),
      ]).finally(() => clearTimeout(timer));
      if (answer !== timedOut) return answer;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)).unref());
    }
  }
}
