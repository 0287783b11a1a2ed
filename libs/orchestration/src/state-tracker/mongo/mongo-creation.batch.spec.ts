import { ExecutionSummary } from '../execution-store.interface';
import { JournalPage, PageAppendResult } from '../journal/journal-page.interface';
import { MongoCreationBatch } from './mongo-creation.batch';
import { MongoExecutionIndex } from './mongo-execution.index';
import { MongoJournal } from './mongo-journal';

const summary = (id: string) => ({ id }) as ExecutionSummary;
const page = (id: string) => ({ executionId: id, page: 0 }) as JournalPage;

describe('MongoCreationBatch', () => {
  it('sends an insert that never answers again, and the creations behind it go on', async () => {
    const calls: string[][] = [];
    const journal = {
      append: (pages: JournalPage[]): Promise<PageAppendResult[]> => {
        calls.push(pages.map((p) => p.executionId));
        // NOTE: the first call hangs for good, as a driver call on a connection that died.
        if (calls.length === 1) return new Promise(() => undefined);
        return Promise.resolve(pages.map(() => ({ status: 'stored' as const })));
      },
    } as unknown as MongoJournal;
    const index = {
      insertSummaries: () => Promise.resolve(new Map()),
    } as unknown as MongoExecutionIndex;
    const batch = new MongoCreationBatch(journal, index, 50);

    const first = batch.commit(summary('a'), page('a'));
    await new Promise((r) => setImmediate(r));
    const second = batch.commit(summary('b'), page('b'));

    await expect(first).resolves.toEqual({ status: 'stored' });
    await expect(second).resolves.toEqual({ status: 'stored' });
    expect(calls).toEqual([['a'], ['a'], ['b']]);
  });

  it('answers an insert that fails with its error, without sending it again', async () => {
    let calls = 0;
    const journal = {
      append: () => {
        calls++;
        return Promise.reject(new Error('unreachable'));
      },
    } as unknown as MongoJournal;
    const index = {
      insertSummaries: () => Promise.resolve(new Map()),
    } as unknown as MongoExecutionIndex;
    const batch = new MongoCreationBatch(journal, index, 50);

    await expect(batch.commit(summary('a'), page('a'))).rejects.toThrow('unreachable');
    expect(calls).toBe(1);
  });
});
