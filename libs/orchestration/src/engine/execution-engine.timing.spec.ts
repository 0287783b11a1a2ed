import { InMemoryExecutionStore } from '../state-tracker/in-memory-execution.store';
import { pendingNodeState } from '../state-tracker/node-state.factory';
import { StallDetector } from '../state-tracker/stall-detector.service';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { probe } from './testing/probe.handler';
import { storedNode, storedNodes } from './testing/journal.fixture';

describe('ExecutionEngine timing: retries, timeouts, stalls (fake timers)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    t = await createTestEngine({ abortGraceMs: 50 });
  });
  afterEach(async () => {
    await t.close();
    jest.useRealTimers();
  });

  const attemptsOf = (nodeId: string) => t.probe.starts.filter((s) => s.nodeId === nodeId).length;

  it('retries a failing node with exponential backoff until it succeeds', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'retry',
      nodes: [
        probe('flaky', [], {
          config: { failTimes: 2 },
          retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, jitter: 0 },
        }),
      ],
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(attemptsOf('flaky')).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(attemptsOf('flaky')).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(attemptsOf('flaky')).toBe(2);
    await jest.advanceTimersByTimeAsync(1999);
    expect(attemptsOf('flaky')).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    const node = await storedNode(t.store, executionId, 'flaky');
    expect(node!.attempts).toBe(3);
    expect(node!.history.map((h) => h.to)).toEqual([
      'ready',
      'running',
      'failed',
      'running',
      'failed',
      'running',
      'completed',
    ]);
  });

  it('waits the fixed delay, capped by maxDelayMs', async () => {
    const { done } = await t.engine.run({
      name: 'fixed',
      nodes: [
        probe('f', [], {
          config: { failTimes: 1 },
          retry: { backoff: 'fixed', initialDelayMs: 5000, maxDelayMs: 300, jitter: 0 },
        }),
      ],
    });
    await jest.advanceTimersByTimeAsync(299);
    expect(attemptsOf('f')).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
  });

  it('does not retry a failure the handler marks non-retryable', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'final',
      nodes: [
        probe('x', [], {
          config: { failTimes: 5, retryable: false },
          retry: { maxAttempts: 5, initialDelayMs: 10 },
        }),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    expect((await storedNode(t.store, executionId, 'x'))!.attempts).toBe(1);
  });

  it('times a node out through its abort signal and retries it, since timeouts are retryable', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'timeout',
      nodes: [
        probe('slow', [], {
          timeoutMs: 100,
          config: { hang: true },
          retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 },
        }),
      ],
    });
    await jest.advanceTimersByTimeAsync(100);
    expect(t.probe.aborted).toEqual(['slow']);
    await jest.advanceTimersByTimeAsync(10);
    expect(attemptsOf('slow')).toBe(2);
    await jest.advanceTimersByTimeAsync(100);
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    const node = await storedNode(t.store, executionId, 'slow');
    expect(node!.error).toMatchObject({
      code: 'NODE_TIMEOUT',
      message: 'Node slow timed out after 100 ms',
    });
  });

  it('enforces a hard deadline on a handler that ignores its abort signal', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'deaf',
      nodes: [
        probe('deaf', [], {
          timeoutMs: 100,
          retry: { maxAttempts: 1 },
          config: { hang: true, ignoreAbort: true },
        }),
      ],
    });
    await jest.advanceTimersByTimeAsync(100);
    expect(t.probe.aborted).toEqual(['deaf']);
    expect(t.tracker.view(executionId)!.nodes[0].status).toBe(NodeStatus.RUNNING);
    await jest.advanceTimersByTimeAsync(50);
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    expect((await storedNode(t.store, executionId, 'deaf'))!.error!.code).toBe('NODE_TIMEOUT');
  });

  it('halts an execution that runs past its own timeout, still running cleanup', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'exec-timeout',
      timeoutMs: 200,
      nodes: [
        probe('long', [], { config: { hang: true } }),
        probe('cleanup', ['long'], { runWhen: 'allDone' }),
      ],
    });
    await jest.advanceTimersByTimeAsync(200);
    const result = await done;
    expect(result.status).toBe(ExecutionStatus.FAILED);
    expect(result.error!.message).toBe('execution timed out after 200 ms');
    const nodes = await storedNodes(t.store, executionId);
    expect(Object.fromEntries(Object.values(nodes).map((n) => [n.nodeId, n.status]))).toEqual({
      long: 'cancelled',
      cleanup: 'completed',
    });
  });

  it('lets the stall detector time out a node running past its deadline', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'overdue',
      nodes: [
        probe('stuck', [], {
          timeoutMs: 1000,
          retry: { maxAttempts: 1 },
          config: { hang: true, ignoreAbort: true },
        }),
      ],
    });
    await jest.advanceTimersByTimeAsync(0);
    const stalls = t.module.get(StallDetector).check(Date.now() + 1000 + 50 + 1);
    expect(stalls).toContainEqual({
      kind: 'node-overdue',
      executionId,
      nodeId: 'stuck',
      attempt: 1,
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    expect((await storedNode(t.store, executionId, 'stuck'))!.error!.code).toBe('NODE_TIMEOUT');
  });
});

describe('StallDetector', () => {
  it('finds an active execution with nothing running, ready or due for retry', async () => {
    const t = await createTestEngine({ recoverOnStartup: false });
    try {
      const now = new Date();
      const execution = {
        id: 'e'.repeat(24),
        graphId: 'g'.repeat(24),
        status: ExecutionStatus.RUNNING,
        input: {},
        error: null,
        createdAt: now,
        startedAt: now,
        completedAt: null,
        owner: 'test',
        epoch: 1,
        idempotencyKey: null,
      };
      const node = pendingNodeState(execution.id, 'a');
      t.tracker.track(execution, [node], new Map([['a', 0]]), { seq: 1, nextPage: 1 }, null);
      expect(t.module.get(StallDetector).check()).toContainEqual({
        kind: 'execution-idle',
        executionId: execution.id,
      });
    } finally {
      await t.close();
    }
  });
});

describe('recovery after a restart', () => {
  it('resumes an interrupted execution and re-runs the node that was running as a new attempt', async () => {
    const store = new InMemoryExecutionStore();
    const first = await createTestEngine({}, { store });
    const { executionId } = await first.engine.run({
      name: 'resume',
      nodes: [
        probe('done-before'),
        probe('interrupted', ['done-before'], { config: { hangAttempts: 1 } }),
        probe('after', ['interrupted']),
      ],
    });
    while ((await storedNode(store, executionId, 'interrupted'))?.status !== NodeStatus.RUNNING) {
      await new Promise((r) => setImmediate(r));
    }
    await first.close();

    const second = await createTestEngine({}, { store });
    try {
      const result = await second.engine.waitFor(executionId);
      expect(result.status).toBe(ExecutionStatus.COMPLETED);
      expect(second.probe.order()).toEqual(['interrupted', 'after']);
      const node = await storedNode(store, executionId, 'interrupted');
      expect(node!.attempts).toBe(2);
      expect(node!.history.map((h) => h.to)).toEqual([
        'ready',
        'running',
        'ready',
        'running',
        'completed',
      ]);
      expect(node!.history[2].reason).toBe('recovered: attempt 1 was interrupted');
    } finally {
      await second.close();
    }
  });
});
