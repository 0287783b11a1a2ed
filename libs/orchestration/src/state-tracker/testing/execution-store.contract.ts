import { Types } from 'mongoose';
import { GraphDefinition } from '../../graph/graph-definition.interface';
import { newId } from '../../ids';
import { ExecutionStore, ExecutionSummary } from '../execution-store.interface';
import { JournalEntry } from '../journal/journal-entry.interface';
import { JournalPage } from '../journal/journal-page.interface';
import { ExecutionStatus, NodeStatus } from '../status.enum';

/** What a contract run needs: a store, and how to dispose of it. */
export interface ContractStoreHandle {
  store: ExecutionStore;
  close(): Promise<void>;
}

const DEFINITION: GraphDefinition = { name: 'g', nodes: [{ id: 'a', type: 'DELAY' }] };
const T0 = new Date('2026-11-01T10:00:00.000Z');

function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

/** An id made at `date` (ids order by creation time, and the MongoDB store partitions by their day). */
function idAt(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return new Types.ObjectId(seconds + new Types.ObjectId().toHexString().slice(8)).toHexString();
}

function summaryOf(
  id: string,
  graphId: string,
  key: string | null = null,
  createdAt = at(0),
): ExecutionSummary {
  return { id, graphId, input: { n: 1 }, createdAt, idempotencyKey: key, createdBy: 'host-a' };
}

function entry(seq: number, to: NodeStatus, from: NodeStatus = NodeStatus.PENDING): JournalEntry {
  return {
    kind: 'node',
    seq,
    at: at(seq),
    by: 'host-a',
    nodeId: 'a',
    from,
    to,
    attempt: 0,
    set: {},
  };
}

function firstPage(
  id: string,
  graphId: string,
  writer = 'host-a#1',
  key: string | null = null,
): JournalPage {
  return {
    executionId: id,
    page: 0,
    writer,
    at: at(0),
    creation: { graphId, input: { n: 1 }, createdAt: at(0), idempotencyKey: key, owner: 'host-a' },
    entries: [
      {
        kind: 'execution',
        seq: 1,
        at: at(0),
        by: 'api',
        from: 'none',
        to: ExecutionStatus.PENDING,
      },
    ],
  };
}

function page(
  id: string,
  n: number,
  writer = 'host-a#1',
  entries: JournalEntry[] = [entry(n + 1, NodeStatus.READY)],
): JournalPage {
  return { executionId: id, page: n, writer, at: at(n), entries };
}

/**
 * The behaviour every `ExecutionStore` adapter must show, as one jest suite. Call it from a
 * spec with a factory of the adapter under test; each test uses fresh ids, so the store may be
 * shared by all of them and need not be empty. Every exclusion it pins (execution ids,
 * idempotency keys, journal pages) rests on unique-key inserts, so it holds on FerretDB too.
 */
export function describeExecutionStoreContract(
  name: string,
  makeStore: () => Promise<ContractStoreHandle>,
): void {
  describe(`ExecutionStore contract: ${name}`, () => {
    let handle: ContractStoreHandle;
    let store: ExecutionStore;

    beforeAll(async () => {
      handle = await makeStore();
      store = handle.store;
    });

    afterAll(async () => {
      await handle?.close();
    });

    async function created(graphId = newId(), key: string | null = null): Promise<string> {
      const id = newId();
      await store.createExecution(
        summaryOf(id, graphId, key),
        firstPage(id, graphId, 'host-a#1', key),
      );
      return id;
    }

    describe('graphs', () => {
      it('saves and finds a graph by id, and refuses an id that is taken', async () => {
        const id = newId();
        const graph = { id, name: 'g', definition: DEFINITION, createdAt: at(0) };
        await store.saveGraph(graph);
        expect(await store.findGraph(id)).toEqual(graph);
        await expect(store.saveGraph({ ...graph, name: 'other' })).rejects.toThrow();
        expect((await store.findGraph(id))?.name).toBe('g');
        expect(await store.findGraph(newId())).toBeNull();
      });

      it('lists graphs newest first and pages with a cursor', async () => {
        const ids = [newId(), newId(), newId()];
        for (const id of ids)
          await store.saveGraph({ id, name: id, definition: DEFINITION, createdAt: at(0) });
        const first = await store.listGraphs({ limit: 2, before: newId() });
        expect(first.map((g) => g.id)).toEqual([ids[2], ids[1]]);
        const next = await store.listGraphs({ limit: 2, before: ids[1] });
        expect(next[0].id).toBe(ids[0]);
      });

      it('deletes a graph and tells whether it existed', async () => {
        const id = newId();
        await store.saveGraph({ id, name: 'g', definition: DEFINITION, createdAt: at(0) });
        expect(await store.deleteGraph(id)).toBe(true);
        expect(await store.deleteGraph(id)).toBe(false);
        expect(await store.findGraph(id)).toBeNull();
      });
    });

    describe('createExecution', () => {
      it('stores page 0 of the journal and the summary, field for field', async () => {
        const graphId = newId();
        const id = newId();
        const result = await store.createExecution(summaryOf(id, graphId), firstPage(id, graphId));
        expect(result).toEqual({ created: true, executionId: id });
        expect(await store.findSummary(id)).toEqual(summaryOf(id, graphId));
        const { pages, checkpoint } = await store.readJournal(id, {});
        expect(checkpoint).toBeNull();
        expect(pages).toEqual([firstPage(id, graphId)]);
      });

      it('returns the execution already holding an idempotency key, with created false, and writes nothing', async () => {
        const graphId = newId();
        const first = await created(graphId, 'k1');
        const other = newId();
        const again = await store.createExecution(
          summaryOf(other, graphId, 'k1'),
          firstPage(other, graphId, 'host-b#1', 'k1'),
        );
        expect(again).toEqual({ created: false, executionId: first });
        expect(await store.findSummary(other)).toBeNull();
        expect((await store.readJournal(other, {})).pages).toEqual([]);
      });

      it('scopes idempotency keys to their graph', async () => {
        const a = await created(newId(), 'shared');
        const graphB = newId();
        const id = newId();
        const b = await store.createExecution(
          summaryOf(id, graphB, 'shared'),
          firstPage(id, graphB, 'w', 'shared'),
        );
        expect(b).toEqual({ created: true, executionId: id });
        expect(id).not.toBe(a);
      });

      it('creates exactly one execution for 10 concurrent calls with the same key', async () => {
        const graphId = newId();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => {
            const id = newId();
            return store.createExecution(
              summaryOf(id, graphId, 'race'),
              firstPage(id, graphId, `w${i}`, 'race'),
            );
          }),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.executionId)).size).toBe(1);
        const winner = results[0].executionId;
        expect((await store.readJournal(winner, {})).pages).toHaveLength(1);
        expect(await store.findSummary(winner)).not.toBeNull();
      });

      it('creates 100 concurrent executions, keys and no keys, each once with its summary; a taken id among them fails alone', async () => {
        const graphId = newId();
        const taken = await created(graphId);
        const ids = Array.from({ length: 100 }, () => newId());
        const results = await Promise.allSettled([
          ...ids.map((id, i) =>
            store.createExecution(
              summaryOf(id, graphId, i % 2 ? `k${i}` : null),
              firstPage(id, graphId, 'host-a#1', i % 2 ? `k${i}` : null),
            ),
          ),
          store.createExecution(summaryOf(taken, newId()), firstPage(taken, newId(), 'w2')),
        ]);
        expect(results.slice(0, 100).map((r) => r.status === 'fulfilled' && r.value)).toEqual(
          ids.map((executionId) => ({ created: true, executionId })),
        );
        expect(results[100].status).toBe('rejected');
        for (const id of ids) {
          expect((await store.findSummary(id))?.graphId).toBe(graphId);
          expect((await store.readJournal(id, {})).pages).toHaveLength(1);
        }
        expect((await store.findSummary(taken))?.graphId).toBe(graphId);
      });

      it('refuses an execution id that is taken and keeps the first', async () => {
        const graphId = newId();
        const id = await created(graphId);
        await expect(
          store.createExecution(summaryOf(id, newId()), firstPage(id, newId(), 'w2')),
        ).rejects.toThrow();
        expect((await store.findSummary(id))?.graphId).toBe(graphId);
      });
    });

    describe('journal', () => {
      it('stores consecutive pages and reads them back in order, whole or after a page', async () => {
        const id = await created();
        const pages = [1, 2, 3].map((n) => page(id, n));
        for (const p of pages) expect(await store.appendPages([p])).toEqual([{ status: 'stored' }]);
        const whole = await store.readJournal(id, {});
        expect(whole.pages.map((p) => p.page)).toEqual([0, 1, 2, 3]);
        expect(whole.pages.slice(1)).toEqual(pages);
        const after = await store.readJournal(id, { afterPage: 1 });
        expect(after.pages.map((p) => p.page)).toEqual([2, 3]);
      });

      it('keeps every kind of entry as written: dates, nested fields, who, absent fields', async () => {
        const id = await created();
        const rich: JournalEntry = {
          kind: 'node',
          seq: 2,
          at: at(5),
          by: 'host-a',
          nodeId: 'a',
          from: NodeStatus.RUNNING,
          to: NodeStatus.COMPLETED,
          attempt: 2,
          reason: 'done',
          set: { output: { list: [1, 'two', { three: null }] }, completedAt: at(6), error: null },
        };
        const others: JournalEntry[] = [
          {
            kind: 'execution',
            seq: 3,
            at: at(7),
            by: 'api',
            from: ExecutionStatus.RUNNING,
            to: ExecutionStatus.CANCELLED,
            reason: 'stop',
            set: { error: { code: 'EXECUTION_CANCELLED', message: 'stop' } },
          },
          {
            kind: 'claim',
            seq: 4,
            at: at(8),
            by: 'host-b',
            owner: 'host-b',
            epoch: 2,
            reason: 'recovered',
          },
          {
            kind: 'signal',
            seq: 5,
            at: at(9),
            by: 'dana',
            nodeId: 'a',
            payload: { approved: [1, { two: 2 }] },
          },
          { kind: 'command', seq: 6, at: at(10), by: 'host-b', commandId: 'c1', command: 'cancel' },
        ];
        await store.appendPages([page(id, 1, 'w', [rich, ...others])]);
        expect((await store.readJournal(id, { afterPage: 0 })).pages[0].entries).toEqual([
          rich,
          ...others,
        ]);
      });

      it("refuses a page whose key another writer took, as a conflict, and keeps the first writer's page", async () => {
        const id = await created();
        expect(await store.appendPages([page(id, 1, 'owner#1')])).toEqual([{ status: 'stored' }]);
        const rival = page(id, 1, 'rival#1', [entry(2, NodeStatus.CANCELLED)]);
        expect(await store.appendPages([rival])).toEqual([{ status: 'conflict' }]);
        const { pages } = await store.readJournal(id, { afterPage: 0 });
        expect(pages).toEqual([page(id, 1, 'owner#1')]);
      });

      it('takes the same page from the same writer again as stored, once (a retried insert)', async () => {
        const id = await created();
        const p = page(id, 1, 'owner#1');
        expect(await store.appendPages([p])).toEqual([{ status: 'stored' }]);
        expect(await store.appendPages([p])).toEqual([{ status: 'stored' }]);
        expect((await store.readJournal(id, {})).pages).toHaveLength(2);
      });

      it('answers each page of a batch on its own', async () => {
        const a = await created();
        const b = await created();
        await store.appendPages([page(b, 1, 'rival#1')]);
        const results = await store.appendPages([page(a, 1, 'me#1'), page(b, 1, 'me#1')]);
        expect(results).toEqual([{ status: 'stored' }, { status: 'conflict' }]);
      });

      it('lets exactly one of 10 writers racing for the same page store it', async () => {
        const id = await created();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.appendPages([page(id, 1, `w${i}#1`)])),
        );
        const stored = results.flat().filter((r) => r.status === 'stored');
        expect(stored).toHaveLength(1);
        expect(results.flat().filter((r) => r.status === 'conflict')).toHaveLength(9);
      });

      it('reads from the latest checkpoint: it and only the pages after it', async () => {
        const k = store.checkpointEvery;
        const id = await created();
        for (let n = 1; n <= 3 * k + 1; n++) await store.appendPages([page(id, n)]);
        const checkpoint = (n: number) => ({
          executionId: id,
          page: n,
          seq: n + 1,
          record: {
            id,
            graphId: 'g',
            status: ExecutionStatus.RUNNING,
            input: {},
            error: null,
            createdAt: at(0),
            startedAt: at(1),
            completedAt: null,
            owner: 'host-a',
            epoch: 1,
            idempotencyKey: null,
          },
          nodes: [],
          commands: [`c${n}`],
        });
        // NOTE: checkpoints sit after pages k-1, 2k-1, ...
        await store.saveCheckpoint(checkpoint(k - 1));
        await store.saveCheckpoint(checkpoint(2 * k - 1));
        await store.saveCheckpoint(checkpoint(3 * k - 1));
        await store.saveCheckpoint(checkpoint(3 * k - 1));
        const read = await store.readJournal(id, { fromCheckpoint: true });
        expect(read.checkpoint).toEqual(checkpoint(3 * k - 1));
        expect(read.pages.map((p) => p.page)).toEqual([3 * k, 3 * k + 1]);
        const whole = await store.readJournal(id, {});
        expect(whole.pages.map((p) => p.page)).toEqual(
          Array.from({ length: 3 * k + 2 }, (_, i) => i),
        );
        const none = await store.readJournal(await created(), { fromCheckpoint: true });
        expect(none.checkpoint).toBeNull();
        expect(none.pages).toHaveLength(1);
      });
      it('reads an ended execution from its end checkpoint, and past it once the execution runs again', async () => {
        const id = await created();
        for (const n of [1, 2, 3]) await store.appendPages([page(id, n)]);
        const ended = {
          executionId: id,
          page: 3,
          seq: 4,
          record: {
            id,
            graphId: 'g',
            status: ExecutionStatus.FAILED,
            input: {},
            error: { code: 'NODES_FAILED', message: '1 node(s) failed: a' },
            createdAt: at(0),
            startedAt: at(1),
            completedAt: at(3),
            owner: null,
            epoch: 1,
            idempotencyKey: null,
          },
          nodes: [],
          commands: [],
        };
        await store.saveCheckpoint(ended);
        const read = await store.readJournal(id, { fromCheckpoint: true });
        expect(read.checkpoint).toEqual(ended);
        expect(read.pages).toEqual([]);
        // NOTE: a retry claims it with page 4: the end checkpoint is no longer the latest state.
        for (const n of [4, 5, 6]) await store.appendPages([page(id, n)]);
        const again = await store.readJournal(id, { fromCheckpoint: true });
        const from = again.checkpoint ? again.checkpoint.page + 1 : 0;
        expect(again.pages.map((p) => p.page)).toEqual(
          Array.from({ length: 7 - from }, (_, i) => from + i),
        );
        expect(again.checkpoint?.page ?? -1).toBeLessThan(4);
      });
    });

    describe('lists', () => {
      it('lists executions newest first with the status of their latest outcome, filtered and paged', async () => {
        const graphId = newId();
        const ids = [await created(graphId), await created(graphId), await created(graphId)];
        await created(newId());
        await store.recordOutcomes([
          { executionId: ids[0], seq: 2, status: ExecutionStatus.RUNNING, at: at(2), error: null },
          {
            executionId: ids[0],
            seq: 9,
            status: ExecutionStatus.FAILED,
            at: at(9),
            error: { code: 'X', message: 'x' },
          },
          { executionId: ids[1], seq: 2, status: ExecutionStatus.RUNNING, at: at(2), error: null },
        ]);
        await store.recordOutcomes([
          {
            executionId: ids[0],
            seq: 9,
            status: ExecutionStatus.FAILED,
            at: at(9),
            error: { code: 'X', message: 'x' },
          },
        ]);
        const all = await store.listExecutions({ graphId, limit: 10 });
        expect(all.map((e) => [e.id, e.status])).toEqual([
          [ids[2], ExecutionStatus.PENDING],
          [ids[1], ExecutionStatus.RUNNING],
          [ids[0], ExecutionStatus.FAILED],
        ]);
        expect(all[2]).toMatchObject({
          startedAt: at(2),
          completedAt: at(9),
          error: { code: 'X', message: 'x' },
          input: { n: 1 },
        });
        const failed = await store.listExecutions({
          graphId,
          status: [ExecutionStatus.FAILED],
          limit: 10,
        });
        expect(failed.map((e) => e.id)).toEqual([ids[0]]);
        const page2 = await store.listExecutions({ graphId, limit: 2, before: ids[1] });
        expect(page2.map((e) => e.id)).toEqual([ids[0]]);
      });

      it('counts executions per status and tells whether a graph has an active one', async () => {
        const graphId = newId();
        const done = await created(graphId);
        await store.recordOutcomes([
          { executionId: done, seq: 3, status: ExecutionStatus.COMPLETED, at: at(3), error: null },
        ]);
        expect(await store.hasActiveExecutions(graphId)).toBe(false);
        const before = await store.countExecutionsByStatus();
        await created(graphId);
        expect(await store.hasActiveExecutions(graphId)).toBe(true);
        const after = await store.countExecutionsByStatus();
        expect(after.pending).toBe((before.pending ?? 0) + 1);
        expect(after.completed).toBeGreaterThanOrEqual(1);
      });
    });

    describe('leases and commands', () => {
      it('renews, reads and deletes a lease, only for the incarnation that holds it', async () => {
        const instanceId = `host-${newId()}`;
        const lease = {
          instanceId,
          incarnation: `${instanceId}#1`,
          beat: 1,
          renewedAt: at(0),
          active: ['e1'],
          createdUpTo: newId(),
        };
        await store.renewLease(lease);
        await store.renewLease({ ...lease, beat: 2, active: ['e1', 'e2'] });
        expect((await store.readLeases()).find((l) => l.instanceId === instanceId)).toEqual({
          ...lease,
          beat: 2,
          active: ['e1', 'e2'],
        });
        await store.deleteLease(instanceId, `${instanceId}#2`);
        expect((await store.readLeases()).some((l) => l.instanceId === instanceId)).toBe(true);
        await store.deleteLease(instanceId, `${instanceId}#1`);
        expect((await store.readLeases()).some((l) => l.instanceId === instanceId)).toBe(false);
      });

      it('finds the executions an instance created after an id', async () => {
        const creator = `host-${newId()}`;
        const before = newId();
        const graphId = newId();
        const id = newId();
        await store.createExecution(
          { ...summaryOf(id, graphId), createdBy: creator },
          firstPage(id, graphId),
        );
        expect(await store.findCreatedBy(creator, before)).toEqual([id]);
        expect(await store.findCreatedBy(creator, id)).toEqual([]);
      });

      it('keeps commands until deleted and reads them oldest first', async () => {
        const executionId = newId();
        const ids = [newId(), newId()];
        await store.insertCommand({
          id: ids[1],
          executionId,
          type: 'signal',
          by: 'api',
          at: at(1),
          nodeId: 'a',
          payload: { ok: true },
        });
        await store.insertCommand({
          id: ids[0],
          executionId,
          type: 'cancel',
          by: 'api',
          at: at(0),
          reason: 'stop',
        });
        const mine = (await store.readCommands()).filter((c) => c.executionId === executionId);
        expect(mine).toEqual([
          { id: ids[0], executionId, type: 'cancel', by: 'api', at: at(0), reason: 'stop' },
          {
            id: ids[1],
            executionId,
            type: 'signal',
            by: 'api',
            at: at(1),
            nodeId: 'a',
            payload: { ok: true },
          },
        ]);
        await store.deleteCommands(ids);
        expect((await store.readCommands()).some((c) => c.executionId === executionId)).toBe(false);
      });
    });

    describe('retention', () => {
      it('removes executions that ended before the cutoff, except those kept, and frees their keys', async () => {
        const now = Date.now();
        const day = 24 * 3600_000;
        const graphId = newId();
        const make = async (createdAt: Date, key: string | null) => {
          const id = idAt(createdAt);
          await store.createExecution(summaryOf(id, graphId, key, createdAt), {
            ...firstPage(id, graphId, 'w', key),
            creation: { ...firstPage(id, graphId).creation!, createdAt, idempotencyKey: key },
          });
          await store.recordOutcomes([
            {
              executionId: id,
              seq: 3,
              status: ExecutionStatus.COMPLETED,
              at: new Date(createdAt.getTime() + 1000),
              error: null,
            },
          ]);
          return id;
        };
        const old = await make(new Date(now - 10 * day), 'old-key');
        const kept = await make(new Date(now - 12 * day), null);
        const recent = await make(new Date(now), null);
        const removed = await store.removeEndedBefore(new Date(now - 7 * day), new Set([kept]));
        expect(removed).toBeGreaterThanOrEqual(1);
        expect(await store.findSummary(old)).toBeNull();
        expect((await store.readJournal(old, {})).pages).toEqual([]);
        expect(await store.findSummary(kept)).not.toBeNull();
        expect(await store.findSummary(recent)).not.toBeNull();
        const id = newId();
        const again = await store.createExecution(
          summaryOf(id, graphId, 'old-key'),
          firstPage(id, graphId, 'w', 'old-key'),
        );
        expect(again).toEqual({ created: true, executionId: id });
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
