import { firstValueFrom, toArray, take } from 'rxjs';
import { createTestEngine, TestEngine } from '../../engine/testing/create-test-engine';
import { storedFold, storedNodes } from '../../engine/testing/journal.fixture';
import { probe } from '../../engine/testing/probe.handler';
import { ExecutionStatus, NodeStatus } from '../status.enum';
import { StoreHealth } from '../store-health';
import { ControlledStore } from '../testing/controlled.store';

/** Lets queued microtasks and immediates run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('JournalWriter in durable mode (through the engine)', () => {
  let store: ControlledStore;
  let t: TestEngine;
  beforeEach(async () => {
    store = new ControlledStore();
    t = await createTestEngine({ abortGraceMs: 50 }, { store });
    t.probe.log = store.log;
  });
  afterEach(() => t.close());

  it('starts a handler only once its attempt is stored', async () => {
    const graph = await t.engine.createGraph({ name: 'gated', nodes: [probe('a')] });
    const release = store.hold();
    const { execution } = await t.engine.startExecution(graph.id);
    await settle();
    expect(t.probe.starts).toHaveLength(0);
    release();
    expect((await t.engine.waitFor(execution.id)).status).toBe(ExecutionStatus.COMPLETED);
    expect(store.log.indexOf('stored a running')).toBeLessThan(store.log.indexOf('start a'));
  });

  it("stores a node's completion before its dependents start, in the page that starts them", async () => {
    const { done } = await t.engine.run({
      name: 'chain',
      nodes: [probe('a'), probe('b', ['a']), probe('c', ['b'])],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    for (const [dep, node] of [
      ['a', 'b'],
      ['b', 'c'],
    ]) {
      const completed = store.log.indexOf(`stored ${dep} completed`);
      const started = store.log.indexOf(`start ${node}`);
      expect(completed).toBeGreaterThanOrEqual(0);
      expect(completed).toBeLessThan(started);
      expect(store.log.indexOf(`stored ${node} running`)).toBeLessThan(started);
    }
  });

  it("never splits an operator action's entries over two pages, however small the pages", async () => {
    const smallStore = new ControlledStore();
    const small = await createTestEngine({ maxPageBytes: 1000 }, { store: smallStore });
    try {
      const below = Array.from({ length: 30 }, (_, i) => probe(`b${i}`, ['a']));
      const { executionId } = await small.engine.run({
        name: 'small pages',
        nodes: [
          probe('a', [], { config: { failTimes: 1, retryable: false } }),
          probe('hold', [], { config: { hang: true } }),
          ...below,
        ],
      });
      const skipped = async () =>
        Object.values(await storedNodes(smallStore, executionId)).filter(
          (n) => n.status === NodeStatus.SKIPPED,
        ).length;
      while ((await skipped()) < 30) await settle();

      await small.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'a', by: 'ana' });

      const { pages } = await smallStore.readJournal(executionId, {});
      const resets = pages.filter((p) =>
        p.entries.some((e) => e.kind === 'node' && e.to === NodeStatus.PENDING),
      );
      expect(resets).toHaveLength(1);
      const entries = resets[0].entries.filter(
        (e) => e.kind === 'node' && e.to === NodeStatus.PENDING,
      );
      expect(entries).toHaveLength(31);
    } finally {
      await small.close();
    }
  });

  it('writes a whole wave of a wide graph as one page per tick', async () => {
    const wideStore = new ControlledStore();
    const wide = await createTestEngine({ maxWorkers: 500 }, { store: wideStore });
    try {
      const roots = Array.from({ length: 200 }, (_, i) => probe(`r${i}`));
      const { executionId, done } = await wide.engine.run({ name: 'wide', nodes: roots });
      await done;
      const fold = await storedFold(wideStore, executionId);
      expect(fold.nodes.size).toBe(200);
      // page 0 (creation), one page starting all 200, one completing them and the execution
      expect(fold.lastPage).toBe(2);
      expect(wideStore.pagesStored).toBe(2);
    } finally {
      await wide.close();
    }
  });

  it('publishes events only once their entries are stored', async () => {
    const graph = await t.engine.createGraph({ name: 'events', nodes: [probe('a')] });
    const seen: string[] = [];
    const sub = t.tracker.events$.subscribe((e) => seen.push(`${e.nodeId ?? 'execution'} ${e.to}`));
    const release = store.hold();
    const { execution } = await t.engine.startExecution(graph.id);
    await settle();
    expect(seen).toEqual([]);
    release();
    await t.engine.waitFor(execution.id);
    sub.unsubscribe();
    expect(seen).toEqual([
      'execution running',
      'a ready',
      'a running',
      'a completed',
      'execution completed',
    ]);
  });

  it('retries the same pages after the store could not be reached, losing nothing', async () => {
    const health = t.module.get(StoreHealth);
    const graph = await t.engine.createGraph({
      name: 'flaky store',
      nodes: [probe('a'), probe('b', ['a'])],
    });
    store.failNext(2);
    const { execution } = await t.engine.startExecution(graph.id);
    await settle();
    expect(health.up).toBe(false);
    expect(t.probe.starts).toHaveLength(0);
    expect((await t.engine.waitFor(execution.id)).status).toBe(ExecutionStatus.COMPLETED);
    expect(health.up).toBe(true);
    expect(t.probe.order()).toEqual(['a', 'b']);
    const nodes = await storedNodes(store, execution.id);
    expect(nodes.a.history.map((h) => h.to)).toEqual(['ready', 'running', 'completed']);
  });

  it('writes list outcomes one batch at a time: a slow store gets fewer, larger inserts, and lists catch up', async () => {
    const graph = await t.engine.createGraph({ name: 'outcomes', nodes: [probe('a')] });
    const release = store.holdOutcomes();
    const ids: string[] = [];
    // NOTE: one after the other, so each execution's outcomes come from flushes of their own.
    for (let i = 0; i < 10; i++) {
      const { execution } = await t.engine.startExecution(graph.id);
      ids.push(execution.id);
      while ((await t.engine.getExecution(execution.id)).status !== ExecutionStatus.COMPLETED)
        await settle();
    }
    await t.tracker.flush();
    // NOTE: the first write is held; every flush since waits behind it as one write.
    expect(store.outcomeCalls).toBe(1);
    const listed = await t.engine.listExecutions({ graphId: graph.id, limit: 20 });
    expect(listed.filter((e) => e.status === ExecutionStatus.COMPLETED).length).toBeLessThan(10);
    release();
    await Promise.all(ids.map((id) => t.engine.waitFor(id)));
    expect(store.outcomeCalls).toBe(2);
    const after = await t.engine.listExecutions({ graphId: graph.id, limit: 20 });
    expect(after.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(after.every((e) => e.status === ExecutionStatus.COMPLETED)).toBe(true);
  });

  it('lets go of an execution whose next page another instance wrote first: aborts its handlers, writes nothing more', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'taken',
      nodes: [probe('slow', [], { config: { hang: true } }), probe('after', ['slow'])],
    });
    while (t.probe.starts.length === 0) await settle();
    const before = await storedFold(store, executionId);
    await store.appendPages([
      {
        executionId,
        page: before.lastPage + 1,
        writer: 'rival#1',
        at: new Date(),
        entries: [
          {
            kind: 'claim',
            seq: before.seq + 1,
            at: new Date(),
            by: 'rival',
            owner: 'rival',
            epoch: 2,
          },
        ],
      },
    ]);
    const events = firstValueFrom(t.tracker.events$.pipe(take(1), toArray()), { defaultValue: [] });
    await t.engine.cancel(executionId, 'test', 'stop');
    const last = await done;
    expect(last.status).toBe(ExecutionStatus.RUNNING);
    expect(t.probe.aborted).toContain('slow');
    expect(t.engine.activeExecutionIds()).not.toContain(executionId);
    const after = await storedFold(store, executionId);
    expect(after.lastPage).toBe(before.lastPage + 1);
    expect(after.record!.owner).toBe('rival');
    expect(after.nodes.get('slow')!.status).toBe(NodeStatus.RUNNING);
    await settle();
    expect(await Promise.race([events, settle().then(() => 'none')])).toBe('none');
  });
});
