import { InvalidStateError, NotFoundError } from '../errors';
import { ExecutionStatus } from '../state-tracker/status.enum';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { probe } from './testing/probe.handler';
import { storedExecution, storedNodes } from './testing/journal.fixture';

describe('ExecutionEngine.retry', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine({ abortGraceMs: 50 })));
  afterEach(() => t.close());

  async function nodeStates(executionId: string) {
    return storedNodes(t.store, executionId);
  }

  it('re-runs the failed and skipped nodes of a failed execution and keeps what completed', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'flaky',
      nodes: [
        probe('a', [], { config: { output: { built: true } } }),
        probe('bad', ['a'], { config: { failTimes: 1, retryable: false } }),
        probe('after', ['bad']),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);

    const retried = await t.engine.retry(executionId);
    expect(retried.status).toBe(ExecutionStatus.RUNNING);
    const final = await t.engine.waitFor(executionId);

    expect(final.status).toBe(ExecutionStatus.COMPLETED);
    expect(final.error).toBeNull();
    expect(t.probe.starts.filter((s) => s.nodeId === 'a')).toHaveLength(1);
    const nodes = await nodeStates(executionId);
    expect(nodes.a.output).toEqual({ built: true });
    expect(nodes.bad.attempts).toBe(2);
    expect(nodes.after.status).toBe('completed');
    expect(nodes.bad.history.map((h) => `${h.from}>${h.to}`)).toEqual([
      'pending>ready',
      'ready>running',
      'running>failed',
      'failed>pending',
      'pending>ready',
      'ready>running',
      'running>completed',
    ]);
    expect(nodes.bad.history[3]).toMatchObject({ by: 'api', reason: 'retry requested' });
    const execution = await storedExecution(t.store, executionId);
    expect(execution.history.map((h) => h.to)).toEqual([
      'pending',
      'running',
      'failed',
      'running',
      'completed',
    ]);
  });

  it('gives a retried node its whole retry policy again', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'policy',
      nodes: [
        probe('flaky', [], {
          config: { failTimes: 3 },
          retry: { maxAttempts: 2, initialDelayMs: 1, jitter: 0 },
        }),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    await t.engine.retry(executionId);
    expect((await t.engine.waitFor(executionId)).status).toBe(ExecutionStatus.COMPLETED);
    const nodes = await nodeStates(executionId);
    expect(nodes.flaky.attempts).toBe(4);
  });

  it('keeps the branch a conditional node chose: the deselected branch stays skipped', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'branch',
      nodes: [
        probe('choose', [], { config: { next: ['left'] } }),
        probe('left', ['choose'], { config: { failTimes: 1, retryable: false } }),
        probe('right', ['choose']),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    await t.engine.retry(executionId);
    expect((await t.engine.waitFor(executionId)).status).toBe(ExecutionStatus.COMPLETED);
    const nodes = await nodeStates(executionId);
    expect(nodes.left.status).toBe('completed');
    expect(nodes.right.status).toBe('skipped');
    expect(nodes.right.history.at(-1)?.reason).toBe('not selected by choose');
    expect(t.probe.starts.map((s) => s.nodeId)).not.toContain('right');
  });

  it('re-runs a cancelled execution from where it stopped', async () => {
    const { executionId } = await t.engine.run({
      name: 'cancel-me',
      nodes: [probe('first'), probe('slow', ['first'], { config: { hangAttempts: 1 } })],
    });
    while (!t.probe.order().includes('slow')) await new Promise((r) => setTimeout(r, 5));
    await t.engine.cancel(executionId);
    expect((await t.engine.waitFor(executionId)).status).toBe(ExecutionStatus.CANCELLED);
    await t.engine.retry(executionId, 'operator');
    expect((await t.engine.waitFor(executionId)).status).toBe(ExecutionStatus.COMPLETED);
    expect(t.probe.starts.filter((s) => s.nodeId === 'first')).toHaveLength(1);
  });

  it('lets exactly one of two instances retrying at once go on', async () => {
    const other = await createTestEngine({ instanceId: 'other' }, { store: t.store });
    try {
      const { executionId, done } = await t.engine.run({
        name: 'race',
        nodes: [probe('flaky', [], { config: { failTimes: 1, retryable: false } })],
      });
      await done;
      const outcomes = await Promise.allSettled([
        t.engine.retry(executionId),
        other.engine.retry(executionId),
      ]);
      const won = outcomes.findIndex((o) => o.status === 'fulfilled');
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((outcomes[1 - won] as PromiseRejectedResult).reason).toMatchObject({
        constructor: InvalidStateError,
        state: 'running',
      });
      const winner = won === 0 ? t : other;
      expect((await winner.engine.waitFor(executionId)).status).toBe(ExecutionStatus.COMPLETED);
      const loser = won === 0 ? other : t;
      expect(loser.engine.activeExecutionIds()).toEqual([]);
      expect(loser.tracker.view(executionId)).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('starts nothing new once shutdown began', async () => {
    const graph = await t.engine.createGraph({ name: 'late', nodes: [probe('a')] });
    await t.engine.beforeApplicationShutdown();
    await expect(t.engine.startExecution(graph.id)).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
    });
  });

  it('refuses a completed or running execution with its state, and an unknown one', async () => {
    const ok = await t.engine.run({ name: 'ok', nodes: [probe('a')] });
    await ok.done;
    await expect(t.engine.retry(ok.executionId)).rejects.toMatchObject({
      constructor: InvalidStateError,
      state: 'completed',
    });
    const hanging = await t.engine.run({
      name: 'hang',
      nodes: [probe('h', [], { config: { hang: true } })],
    });
    await expect(t.engine.retry(hanging.executionId)).rejects.toMatchObject({ state: 'running' });
    await expect(t.engine.retry('0123456789abcdef01234567')).rejects.toBeInstanceOf(NotFoundError);
    await t.engine.cancel(hanging.executionId);
    await hanging.done;
  });
});
