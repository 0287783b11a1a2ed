import { pendingNodeState } from './node-state.factory';
import { GraphDefinition } from '../graph/graph-definition.interface';
import { newId } from '../ids';
import {
  ExecutionChange,
  ExecutionRecord,
  ExecutionStore,
  NodeChange,
  NodeStateRecord,
  TransitionRecord,
} from './execution-store.interface';
import { ExecutionStatus, NodeStatus } from './status.enum';

/** What a contract run needs: a store, and how to dispose of it. */
export interface ContractStoreHandle {
  store: ExecutionStore;
  close(): Promise<void>;
}

/** What the backing server cannot do, so the tests that need it are left out for it. */
export interface ContractLimits {
  /**
   * The server checks an update's filter and writes in one atomic step, so of two writers with
   * the same expectation only one wins. Default true; false on FerretDB 1.x (FerretDB#3040).
   */
  atomicConditionalUpdates?: boolean;
}

/**
 * The behaviour every `ExecutionStore` adapter must show, as one jest suite. Call it from a
 * spec with a factory of the adapter under test; each test uses fresh ids, so the store may
 * be shared by all of them and need not be empty.
 */
export function describeExecutionStoreContract(
  name: string,
  makeStore: () => Promise<ContractStoreHandle>,
  limits: ContractLimits = {},
): void {
  // NOTE: a server without atomic conditional updates (FerretDB 1.x) cannot give these
  // guarantees; the tests are left out for it (documented in docs/ARCHITECTURE.md), and run
  // against every store that has them.
  const itIfAtomic = (title: string, fn: () => Promise<void>) => {
    if (limits.atomicConditionalUpdates !== false) it(title, fn);
  };

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

    describe('graphs', () => {
      it('saves, finds and overwrites a graph by id', async () => {
        const id = newId();
        const graph = { id, name: 'g', definition: DEFINITION, createdAt: at(0) };
        await store.saveGraph(graph);
        expect(await store.findGraph(id)).toEqual(graph);
        await store.saveGraph({ ...graph, name: 'renamed' });
        expect((await store.findGraph(id))?.name).toBe('renamed');
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
        expect(await store.findGraph(id)).toBeNull();
        expect(await store.deleteGraph(id)).toBe(false);
      });
    });

    describe('createExecution', () => {
      it('stores an execution and its node states as given, field for field', async () => {
        const execution = executionRecord({
          input: { n: 1, nested: { list: [1, 'two'], empty: {} } },
          history: [{ from: 'none', to: 'pending', at: at(1), by: 'api', reason: 'created' }],
        });
        const nodes = [
          pendingNodeState(execution.id, 'a'),
          pendingNodeState(execution.id, 'b', { status: NodeStatus.READY }),
        ];
        const result = await store.createExecution(execution, nodes);
        expect(result).toEqual({ execution, created: true });
        const found = await store.findExecution(execution.id);
        expect(found).toEqual(execution);
        expect(found?.createdAt).toBeInstanceOf(Date);
        expect(byNodeId(await store.findNodeStates(execution.id))).toEqual(nodes);
        expect(await store.findExecution(newId())).toBeNull();
      });

      it('returns the execution already holding an idempotency key, with created false, and writes nothing', async () => {
        const first = executionRecord({ idempotencyKey: 'k1' });
        await store.createExecution(first, [pendingNodeState(first.id, 'a')]);
        const again = executionRecord({
          graphId: first.graphId,
          idempotencyKey: 'k1',
          input: { other: true },
        });
        const result = await store.createExecution(again, [pendingNodeState(again.id, 'a')]);
        expect(result).toEqual({ execution: first, created: false });
        expect(await store.findExecution(again.id)).toBeNull();
        expect(await store.findNodeStates(again.id)).toEqual([]);
      });

      it('scopes idempotency keys to their graph', async () => {
        const first = executionRecord({ idempotencyKey: 'shared' });
        const other = executionRecord({ idempotencyKey: 'shared' });
        expect((await store.createExecution(first, [])).created).toBe(true);
        expect((await store.createExecution(other, [])).created).toBe(true);
      });

      it('creates exactly one execution for 10 concurrent calls with the same key', async () => {
        const graphId = newId();
        const results = await Promise.all(
          Array.from({ length: 10 }, () => {
            const execution = executionRecord({ graphId, idempotencyKey: 'race' });
            return store.createExecution(
              execution,
              ['a', 'b', 'c'].map((n) => pendingNodeState(execution.id, n)),
            );
          }),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const id = results[0].execution.id;
        expect(results.every((r) => r.execution.id === id)).toBe(true);
        expect(await store.listExecutions({ graphId, limit: 20 })).toHaveLength(1);
        expect((await store.findNodeStates(id)).map((n) => n.nodeId).sort()).toEqual([
          'a',
          'b',
          'c',
        ]);
      });

      it('rejects duplicate node ids in one execution and writes nothing', async () => {
        const execution = executionRecord();
        const nodes = [pendingNodeState(execution.id, 'a'), pendingNodeState(execution.id, 'a')];
        await expect(store.createExecution(execution, nodes)).rejects.toThrow();
        expect(await store.findExecution(execution.id)).toBeNull();
      });

      it('rejects an execution id that is already taken and keeps the first', async () => {
        const execution = executionRecord();
        await store.createExecution(execution, [pendingNodeState(execution.id, 'a')]);
        const clash = { ...execution, input: { clash: true } };
        await expect(
          store.createExecution(clash, [pendingNodeState(execution.id, 'a')]),
        ).rejects.toThrow();
        expect(await store.findExecution(execution.id)).toEqual(execution);
      });
    });

    describe('apply', () => {
      it('applies node changes whose expectation holds: fields, status, version, history in order', async () => {
        const { execution } = await created(['a']);
        const t = at(5);
        const toReady = nodeChange(execution.id, 'a', [NodeStatus.PENDING, 0], 1, {
          status: NodeStatus.READY,
        });
        const toRunning = nodeChange(execution.id, 'a', [NodeStatus.READY, 1], 3, {
          status: NodeStatus.RUNNING,
          attempts: 1,
          startedAt: t,
          deadlineAt: at(6),
        });
        expect(await store.apply({ nodes: [toReady], executions: [] })).toEqual({ conflicts: [] });
        expect(await store.apply({ nodes: [toRunning], executions: [] })).toEqual({
          conflicts: [],
        });
        const output = { result: [1, { deep: 'x' }], empty: {} };
        const toCompleted = nodeChange(execution.id, 'a', [NodeStatus.RUNNING, 3], 4, {
          status: NodeStatus.COMPLETED,
          output,
          completedAt: at(7),
          error: { code: 'E', message: 'm', details: { why: 1 } },
        });
        await store.apply({ nodes: [toCompleted], executions: [] });
        const node = await store.findNodeState(execution.id, 'a');
        expect(node).toEqual({
          ...pendingNodeState(execution.id, 'a'),
          ...toRunning.set,
          ...toCompleted.set,
          version: 4,
          history: [...toReady.history, ...toRunning.history, ...toCompleted.history],
        });
      });

      it('reports stale node changes as conflicts and leaves them unapplied, while the rest of the batch applies', async () => {
        const { execution } = await created(['a', 'b', 'c']);
        const good = nodeChange(execution.id, 'a', [NodeStatus.PENDING, 0], 1, {
          status: NodeStatus.READY,
        });
        const wrongVersion = nodeChange(execution.id, 'b', [NodeStatus.PENDING, 7], 8, {
          status: NodeStatus.READY,
        });
        const wrongStatus = nodeChange(execution.id, 'c', [NodeStatus.RUNNING, 0], 1, {
          status: NodeStatus.COMPLETED,
        });
        const missing = nodeChange(execution.id, 'nope', [NodeStatus.PENDING, 0], 1, {
          status: NodeStatus.READY,
        });
        const result = await store.apply({
          nodes: [good, wrongVersion, wrongStatus, missing],
          executions: [],
        });
        expect(sortConflicts(result.conflicts)).toEqual(
          sortConflicts(
            ['b', 'c', 'nope'].map((nodeId) => ({ executionId: execution.id, nodeId })),
          ),
        );
        expect((await store.findNodeState(execution.id, 'a'))?.status).toBe(NodeStatus.READY);
        for (const nodeId of ['b', 'c']) {
          expect(await store.findNodeState(execution.id, nodeId)).toEqual(
            pendingNodeState(execution.id, nodeId),
          );
        }
        expect(await store.findNodeState(execution.id, 'nope')).toBeNull();
      });

      it('applies execution changes under the same rule', async () => {
        const { execution } = await created([]);
        const { execution: other } = await created([]);
        const start = executionChange(execution.id, [ExecutionStatus.PENDING, 0], 1, {
          status: ExecutionStatus.RUNNING,
          startedAt: at(2),
          owner: 'me',
        });
        const stale = executionChange(other.id, [ExecutionStatus.RUNNING, 0], 1, {
          status: ExecutionStatus.COMPLETED,
        });
        const result = await store.apply({ nodes: [], executions: [start, stale] });
        expect(result.conflicts).toEqual([{ executionId: other.id }]);
        expect(await store.findExecution(execution.id)).toEqual({
          ...execution,
          ...start.set,
          version: 1,
          history: start.history,
        });
        expect(await store.findExecution(other.id)).toEqual(other);
      });

      it('does not report or re-apply a change when the same batch is written again', async () => {
        const { execution } = await created(['a']);
        const batch = {
          nodes: [
            nodeChange(execution.id, 'a', [NodeStatus.PENDING, 0], 1, { status: NodeStatus.READY }),
          ],
          executions: [
            executionChange(execution.id, [ExecutionStatus.PENDING, 0], 1, {
              status: ExecutionStatus.RUNNING,
            }),
          ],
        };
        await store.apply(batch);
        expect(await store.apply(batch)).toEqual({ conflicts: [] });
        expect((await store.findNodeState(execution.id, 'a'))?.history).toHaveLength(1);
        expect((await store.findExecution(execution.id))?.history).toHaveLength(1);
      });

      itIfAtomic(
        'applies only one of two concurrent changes with the same expectation',
        async () => {
          const { execution } = await created(['a']);
          const change = (by: string) => {
            const c = nodeChange(execution.id, 'a', [NodeStatus.PENDING, 0], 1, {
              status: NodeStatus.READY,
            });
            c.history[0].by = by;
            return c;
          };
          const results = await Promise.all(
            ['w1', 'w2'].map((by) => store.apply({ nodes: [change(by)], executions: [] })),
          );
          expect(results.map((r) => r.conflicts.length).sort()).toEqual([0, 1]);
          expect((await store.findNodeState(execution.id, 'a'))?.history).toHaveLength(1);
        },
      );

      it('applies a batch of 150 node changes at once', async () => {
        const ids = Array.from({ length: 150 }, (_, i) => `n${i}`);
        const { execution } = await created(ids);
        const nodes = ids.map((n) =>
          nodeChange(execution.id, n, [NodeStatus.PENDING, 0], 1, { status: NodeStatus.READY }),
        );
        expect(await store.apply({ nodes, executions: [] })).toEqual({ conflicts: [] });
        const states = await store.findNodeStates(execution.id);
        expect(states.filter((n) => n.status === NodeStatus.READY && n.version === 1)).toHaveLength(
          150,
        );
      });
    });

    describe('queries', () => {
      it('lists executions of a graph newest first, filtered by status, a page at a time', async () => {
        const graphId = newId();
        const statuses = [
          ExecutionStatus.COMPLETED,
          ExecutionStatus.RUNNING,
          ExecutionStatus.FAILED,
          ExecutionStatus.RUNNING,
        ];
        const ids: string[] = [];
        for (const status of statuses)
          ids.push((await created([], { graphId, status })).execution.id);
        await created([], { status: ExecutionStatus.RUNNING });
        const all = await store.listExecutions({ graphId, limit: 10 });
        expect(all.map((e) => e.id)).toEqual([...ids].reverse());
        const page1 = await store.listExecutions({ graphId, limit: 2 });
        const page2 = await store.listExecutions({ graphId, limit: 2, before: page1[1].id });
        expect([...page1, ...page2].map((e) => e.id)).toEqual([...ids].reverse());
        const running = await store.listExecutions({
          graphId,
          status: [ExecutionStatus.RUNNING],
          limit: 10,
        });
        expect(running.map((e) => e.id)).toEqual([ids[3], ids[1]]);
        const ended = await store.listExecutions({
          graphId,
          status: [ExecutionStatus.COMPLETED, ExecutionStatus.FAILED],
          limit: 10,
        });
        expect(ended.map((e) => e.id)).toEqual([ids[2], ids[0]]);
      });

      it('tells whether a graph has a pending or running execution', async () => {
        const graphId = newId();
        await created([], { graphId, status: ExecutionStatus.COMPLETED });
        await created([], { graphId, status: ExecutionStatus.CANCELLED });
        expect(await store.hasActiveExecutions(graphId)).toBe(false);
        await created([], { graphId, status: ExecutionStatus.PENDING });
        expect(await store.hasActiveExecutions(graphId)).toBe(true);
        const running = newId();
        await created([], { graphId: running, status: ExecutionStatus.RUNNING });
        expect(await store.hasActiveExecutions(running)).toBe(true);
      });

      it('finds the node states of one execution only, and one node or null', async () => {
        const { execution } = await created(['a', 'b']);
        await created(['a', 'c']);
        expect((await store.findNodeStates(execution.id)).map((n) => n.nodeId).sort()).toEqual([
          'a',
          'b',
        ]);
        expect(await store.findNodeState(execution.id, 'b')).toEqual(
          pendingNodeState(execution.id, 'b'),
        );
        expect(await store.findNodeState(execution.id, 'c')).toBeNull();
        expect(await store.findNodeStates(newId())).toEqual([]);
      });

      it('counts executions per status', async () => {
        const before = await store.countExecutionsByStatus();
        await created([], { status: ExecutionStatus.FAILED });
        await created([], { status: ExecutionStatus.FAILED });
        await created([], { status: ExecutionStatus.CANCELLED });
        const after = await store.countExecutionsByStatus();
        expect(after[ExecutionStatus.FAILED]).toBe((before[ExecutionStatus.FAILED] ?? 0) + 2);
        expect(after[ExecutionStatus.CANCELLED]).toBe((before[ExecutionStatus.CANCELLED] ?? 0) + 1);
      });

      it('answers a ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('leases', () => {
      it("claims unowned, stale and own executions, never another owner's fresh lease or a terminal one", async () => {
        const me = `me-${newId()}`;
        const other = `other-${newId()}`;
        const now = new Date();
        const ago = (ms: number) => new Date(now.getTime() - ms);
        const running = ExecutionStatus.RUNNING;
        const unowned = await created([], { status: ExecutionStatus.PENDING });
        const stale = await created([], {
          status: running,
          owner: other,
          heartbeatAt: ago(60_000),
        });
        const own = await created([], { status: running, owner: me, heartbeatAt: ago(1_000) });
        const fresh = await created([], { status: running, owner: other, heartbeatAt: ago(1_000) });
        const ended = await created([], { status: ExecutionStatus.COMPLETED, completedAt: now });
        const endedStale = await created([], {
          status: ExecutionStatus.FAILED,
          owner: other,
          heartbeatAt: ago(60_000),
        });
        const claimed = await store.claimExecutions(me, ago(30_000), now);
        const ids = claimed.map((e) => e.id);
        expect(ids).toEqual(
          expect.arrayContaining([unowned, stale, own].map((c) => c.execution.id)),
        );
        for (const c of [fresh, ended, endedStale]) expect(ids).not.toContain(c.execution.id);
        for (const c of [unowned, stale, own]) {
          expect(claimed.find((e) => e.id === c.execution.id)).toMatchObject({
            owner: me,
            heartbeatAt: now,
          });
          expect(await store.findExecution(c.execution.id)).toMatchObject({
            owner: me,
            heartbeatAt: now,
          });
        }
        expect(await store.findExecution(fresh.execution.id)).toEqual(fresh.execution);
        expect(await store.findExecution(endedStale.execution.id)).toEqual(endedStale.execution);
      });

      itIfAtomic(
        'lets only one of two instances claiming at once take each execution',
        async () => {
          const ours = await Promise.all(Array.from({ length: 5 }, () => created([])));
          const now = new Date();
          const [a, b] = await Promise.all([
            store.claimExecutions(`a-${newId()}`, now, now),
            store.claimExecutions(`b-${newId()}`, now, now),
          ]);
          for (const { execution } of ours) {
            const takers = [a, b].filter((claimed) => claimed.some((e) => e.id === execution.id));
            expect(takers).toHaveLength(1);
          }
        },
      );

      it("renews only the caller's own leases", async () => {
        const me = `me-${newId()}`;
        const mine = await created([], {
          status: ExecutionStatus.RUNNING,
          owner: me,
          heartbeatAt: at(1),
        });
        const theirs = await created([], {
          status: ExecutionStatus.RUNNING,
          owner: 'other',
          heartbeatAt: at(1),
        });
        await store.heartbeat(me, [mine.execution.id, theirs.execution.id], at(9));
        expect((await store.findExecution(mine.execution.id))?.heartbeatAt).toEqual(at(9));
        expect(await store.findExecution(theirs.execution.id)).toEqual(theirs.execution);
        await expect(store.heartbeat(me, [], at(10))).resolves.toBeUndefined();
      });
    });

    describe('retention', () => {
      it('removes only terminal executions completed before the cutoff, with their node states', async () => {
        const old = new Date('2000-01-01T00:00:00Z');
        const cutoff = new Date('2001-01-01T00:00:00Z');
        const done = await created(['a', 'b'], {
          status: ExecutionStatus.COMPLETED,
          completedAt: old,
        });
        const failed = await created(['a'], { status: ExecutionStatus.FAILED, completedAt: old });
        const active = await created(['a'], { status: ExecutionStatus.RUNNING, completedAt: old });
        const recent = await created(['a'], {
          status: ExecutionStatus.COMPLETED,
          completedAt: new Date(),
        });
        expect(await store.deleteTerminalBefore(cutoff)).toBe(2);
        for (const { execution } of [done, failed]) {
          expect(await store.findExecution(execution.id)).toBeNull();
          expect(await store.findNodeStates(execution.id)).toEqual([]);
        }
        for (const { execution } of [active, recent]) {
          expect(await store.findExecution(execution.id)).toEqual(execution);
          expect(await store.findNodeStates(execution.id)).toHaveLength(1);
        }
      });

      it('frees the idempotency key of a removed execution', async () => {
        const old = new Date('2000-01-01T00:00:00Z');
        const gone = await created([], {
          status: ExecutionStatus.COMPLETED,
          completedAt: old,
          idempotencyKey: 'k',
        });
        await store.deleteTerminalBefore(new Date('2001-01-01T00:00:00Z'));
        const again = executionRecord({ graphId: gone.execution.graphId, idempotencyKey: 'k' });
        expect(await store.createExecution(again, [])).toEqual({ execution: again, created: true });
      });
    });

    async function created(nodeIds: string[], overrides: Partial<ExecutionRecord> = {}) {
      const execution = executionRecord(overrides);
      const nodes = nodeIds.map((n) => pendingNodeState(execution.id, n));
      await store.createExecution(execution, nodes);
      return { execution, nodes };
    }
  });
}

const DEFINITION: GraphDefinition = {
  name: 'g',
  nodes: [
    { id: 'a', type: 'DELAY', config: { ms: 1 } },
    { id: 'b', type: 'DELAY', dependsOn: ['a'] },
  ],
};

function at(seconds: number): Date {
  return new Date(Date.UTC(2030, 0, 1, 0, 0, seconds));
}

function executionRecord(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: newId(),
    graphId: newId(),
    status: ExecutionStatus.PENDING,
    input: {},
    error: null,
    createdAt: at(0),
    startedAt: null,
    completedAt: null,
    version: 0,
    owner: null,
    heartbeatAt: null,
    idempotencyKey: null,
    history: [],
    ...overrides,
  };
}

function transition(from: string, to: string | undefined, attempt?: number): TransitionRecord {
  const entry: TransitionRecord = {
    from,
    to: to ?? from,
    at: at(3),
    by: 'contract',
    reason: `${from}->${to}`,
  };
  if (attempt !== undefined) entry.attempt = attempt;
  return entry;
}

function nodeChange(
  executionId: string,
  nodeId: string,
  [status, version]: [NodeStatus, number],
  newVersion: number,
  set: NodeChange['set'],
): NodeChange {
  const history = [transition(status, set.status, set.attempts ?? 0)];
  return { executionId, nodeId, expected: { status, version }, version: newVersion, set, history };
}

function executionChange(
  id: string,
  [status, version]: [ExecutionStatus, number],
  newVersion: number,
  set: ExecutionChange['set'],
): ExecutionChange {
  return {
    id,
    expected: { status, version },
    version: newVersion,
    set,
    history: [transition(status, set.status)],
  };
}

function byNodeId(nodes: NodeStateRecord[]): NodeStateRecord[] {
  return [...nodes].sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
}

function sortConflicts<T extends { executionId: string; nodeId?: string }>(conflicts: T[]): T[] {
  const key = (c: T) => `${c.executionId}/${c.nodeId ?? ''}`;
  return [...conflicts].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}
