import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { probe } from './testing/probe.handler';
import { storedExecution, storedNode, storedNodes } from './testing/journal.fixture';

async function statuses(t: TestEngine, executionId: string): Promise<Record<string, string>> {
  const nodes = await storedNodes(t.store, executionId);
  return Object.fromEntries(Object.values(nodes).map((n) => [n.nodeId, n.status]));
}

describe('ExecutionEngine on the embedded store', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine({ abortGraceMs: 50 })));
  afterEach(() => t.close());

  it('starts a node only after all its dependencies completed', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'diamond',
      nodes: [probe('a'), probe('b', ['a']), probe('c', ['a']), probe('d', ['b', 'c'])],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    const order = t.probe.order();
    expect(order[0]).toBe('a');
    expect(order[3]).toBe('d');
    expect(await statuses(t, executionId)).toEqual({
      a: 'completed',
      b: 'completed',
      c: 'completed',
      d: 'completed',
    });
  });

  it('passes the input and the outputs of dependencies to each handler', async () => {
    const { done } = await t.engine.run(
      {
        name: 'ctx',
        input: { suiteId: 's-1' },
        nodes: [probe('a', [], { config: { output: { n: 1 } } }), probe('b', ['a'])],
      },
      { input: { caseId: 'c-9' } },
    );
    await done;
    const b = t.probe.starts.find((s) => s.nodeId === 'b')!;
    expect(b.upstream).toEqual({ a: { n: 1 } });
    expect(b.input).toEqual({ suiteId: 's-1', caseId: 'c-9' });
  });

  it("never runs more nodes of one execution at once than the graph's maxParallelism", async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => probe(`n${i}`, [], { config: { ms: 5 } }));
    const { done } = await t.engine.run({ name: 'wide', maxParallelism: 3, nodes });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    expect(t.probe.peak).toBe(3);
  });

  it('skips dependents of a failed non-critical node and lets independent branches finish', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'branches',
      nodes: [
        probe('bad', [], { config: { failTimes: 1, retryable: false } }),
        probe('after-bad', ['bad']),
        probe('deeper', ['after-bad']),
        probe('ok', [], { config: { ms: 5 } }),
        probe('after-ok', ['ok']),
      ],
    });
    const result = await done;
    expect(result.status).toBe(ExecutionStatus.FAILED);
    expect(result.error?.message).toContain('bad');
    expect(await statuses(t, executionId)).toEqual({
      bad: 'failed',
      'after-bad': 'skipped',
      deeper: 'skipped',
      ok: 'completed',
      'after-ok': 'completed',
    });
    const skipped = await storedNode(t.store, executionId, 'after-bad');
    expect(skipped!.history.at(-1)!.reason).toBe('dependency bad failed');
  });

  it('halts on a critical failure: aborts running nodes, starts nothing new but cleanup, names the node', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'critical',
      nodes: [
        probe('crit', [], { critical: true, config: { ms: 5, failTimes: 1, retryable: false } }),
        probe('slow', [], { config: { hang: true } }),
        probe('next', ['crit']),
        probe('cleanup', ['crit', 'slow'], { runWhen: 'allDone' }),
      ],
    });
    const result = await done;
    expect(result.status).toBe(ExecutionStatus.FAILED);
    expect(result.error).toMatchObject({ code: 'EXECUTION_HALTED' });
    expect(result.error!.message).toContain('critical node crit failed');
    expect(t.probe.aborted).toContain('slow');
    const s = await statuses(t, executionId);
    expect(s).toMatchObject({ crit: 'failed', slow: 'cancelled', next: 'skipped' });
    expect(s.cleanup).toBe('completed');
    expect((await storedNode(t.store, executionId, 'cleanup'))!.attempts).toBe(1);
  });

  it('cancels: running nodes get their signal, pending ones are cancelled, the execution ends cancelled', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'cancel',
      nodes: [probe('long', [], { config: { hang: true } }), probe('later', ['long'])],
    });
    await new Promise((r) => setImmediate(r));
    await t.engine.cancel(executionId, 'tester', 'operator said stop');
    const result = await done;
    expect(result.status).toBe(ExecutionStatus.CANCELLED);
    expect(result.error?.message).toBe('operator said stop');
    expect(await statuses(t, executionId)).toEqual({ long: 'cancelled', later: 'cancelled' });
    await expect(t.engine.cancel(executionId)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      state: 'cancelled',
    });
  });

  it('records a handler that ignores its abort signal as cancelled after the grace period', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'stubborn',
      nodes: [probe('deaf', [], { config: { hang: true, ignoreAbort: true } })],
    });
    await new Promise((r) => setImmediate(r));
    await t.engine.cancel(executionId);
    expect((await done).status).toBe(ExecutionStatus.CANCELLED);
    const node = await storedNode(t.store, executionId, 'deaf');
    expect(node!.history.at(-1)!.reason).toContain('did not stop within 50 ms');
  });

  it('runs only the branch a node selects with next, skipping the others', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'branch',
      nodes: [
        probe('choose', [], { config: { next: ['left'] } }),
        probe('left', ['choose']),
        probe('right', ['choose']),
        probe('join', ['left', 'right'], { runWhen: 'noneFailed' }),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    expect(await statuses(t, executionId)).toEqual({
      choose: 'completed',
      left: 'completed',
      right: 'skipped',
      join: 'completed',
    });
    expect((await storedNode(t.store, executionId, 'right'))!.history.at(-1)!.reason).toBe(
      'not selected by choose',
    );
  });

  it('fails a node whose next names a node that does not depend on it', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'bad-next',
      nodes: [probe('a', [], { config: { next: ['zzz'] } }), probe('b', ['a'])],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    expect((await storedNode(t.store, executionId, 'a'))!.error!.message).toContain(
      'next names zzz',
    );
  });

  it('skips a CONDITIONAL-strategy node whose condition is false', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'when',
      input: { env: 'prod' },
      nodes: [
        probe('only-staging', [], { strategy: 'CONDITIONAL', when: "input.env = 'staging'" }),
        probe('always', [], { strategy: 'CONDITIONAL', when: "input.env = 'prod'" }),
      ],
    });
    await done;
    expect(await statuses(t, executionId)).toEqual({
      'only-staging': 'skipped',
      always: 'completed',
    });
  });

  it('runs SEQUENTIAL steps in order and PARALLEL steps within their limit', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'steps',
      nodes: [
        probe('seq', [], {
          strategy: 'SEQUENTIAL',
          config: { steps: [{ output: 1 }, { output: 2 }, { output: 3 }] },
        }),
        probe('par', ['seq'], {
          strategy: 'PARALLEL',
          config: {
            concurrency: 2,
            steps: [
              { ms: 5, output: 'a' },
              { ms: 5, output: 'b' },
              { ms: 5, output: 'c' },
              { ms: 5, output: 'd' },
            ],
          },
        }),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    expect((await storedNode(t.store, executionId, 'seq'))!.output).toEqual([1, 2, 3]);
    expect((await storedNode(t.store, executionId, 'par'))!.output).toEqual(['a', 'b', 'c', 'd']);
    expect(t.probe.peak).toBe(2);
  });

  it('keeps the full transition history of every node', async () => {
    const { executionId, done } = await t.engine.run({ name: 'history', nodes: [probe('a')] });
    await done;
    const node = await storedNode(t.store, executionId, 'a');
    expect(node!.history.map((h) => `${h.from}->${h.to}`)).toEqual([
      'pending->ready',
      'ready->running',
      'running->completed',
    ]);
    expect(node!.history.every((h) => h.by === 'test' && h.at instanceof Date)).toBe(true);
    const execution = await storedExecution(t.store, executionId);
    expect(execution.history.map((h) => h.to)).toEqual(['pending', 'running', 'completed']);
  });

  it('publishes every transition on events$ with increasing sequence numbers', async () => {
    const seen: string[] = [];
    const seqs: number[] = [];
    const sub = t.tracker.events$.subscribe((e) => {
      seen.push(`${e.kind}:${e.nodeId ?? ''}:${e.to}`);
      seqs.push(e.seq);
    });
    const { done } = await t.engine.run({ name: 'events', nodes: [probe('a')] });
    await done;
    sub.unsubscribe();
    expect(seen).toEqual([
      'execution::running',
      'node:a:ready',
      'node:a:running',
      'node:a:completed',
      'execution::completed',
    ]);
    expect(seqs).toEqual([2, 3, 4, 5, 6]);
  });

  it('refuses to delete a graph while an execution of it runs', async () => {
    const { graphId, executionId, done } = await t.engine.run({
      name: 'busy',
      nodes: [probe('h', [], { config: { hang: true } })],
    });
    await expect(t.engine.deleteGraph(graphId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await t.engine.cancel(executionId);
    await done;
    await t.engine.deleteGraph(graphId);
    await expect(t.engine.getGraph(graphId)).rejects.toMatchObject({ code: 'GRAPH_NOT_FOUND' });
  });

  it('returns the existing execution for a repeated idempotency key', async () => {
    const graph = await t.engine.createGraph({ name: 'idem', nodes: [probe('a')] });
    const first = await t.engine.startExecution(graph.id, { idempotencyKey: 'k1' });
    const again = await t.engine.startExecution(graph.id, { idempotencyKey: 'k1' });
    expect(again.created).toBe(false);
    expect(again.execution.id).toBe(first.execution.id);
  });

  it('rejects a node status change that the transition table forbids, and persists nothing', async () => {
    const { executionId, done } = await t.engine.run({ name: 'table', nodes: [probe('a')] });
    await done;
    const record = await storedExecution(t.store, executionId);
    const nodes = Object.values(await storedNodes(t.store, executionId));
    const view = t.tracker.track(
      record,
      nodes,
      new Map([['a', 0]]),
      { seq: 99, nextPage: 99 },
      null,
    );
    expect(() =>
      t.tracker.transitionNode(view, view.nodes[0], NodeStatus.RUNNING, {}, 'test'),
    ).toThrow(
      expect.objectContaining({
        code: 'STATE_TRANSITION_INVALID',
        from: 'completed',
        to: 'running',
      }),
    );
    await t.tracker.untrack(view);
    expect((await storedNode(t.store, executionId, 'a'))!.status).toBe('completed');
  });
});
