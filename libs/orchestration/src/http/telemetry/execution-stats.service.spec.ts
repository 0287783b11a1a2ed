import { ExecutionCounts } from './execution-counts';
import { createTestEngine, TestEngine } from '../../engine/testing/create-test-engine';
import { probe } from '../../engine/testing/probe.handler';
import { waitFor } from '../../node-runner/handlers/testing/wait-for.fixture';
import { ExecutionStatus } from '../../state-tracker/status.enum';
import { ExecutionStatsService } from './execution-stats.service';

describe('ExecutionStatsService on a real engine', () => {
  let t: TestEngine;
  let stats: ExecutionStatsService;

  beforeEach(async () => {
    t = await createTestEngine(
      { maxWorkers: 8, abortGraceMs: 20 },
      { providers: [ExecutionCounts, ExecutionStatsService] },
    );
    stats = t.module.get(ExecutionStatsService);
  });
  afterEach(() => t.close());

  it('reports zeros and null durations before anything ran', async () => {
    expect(await stats.snapshot()).toEqual({
      executions: { byStatus: {}, total: 0 },
      workers: { max: 8, busy: 0, queued: 0, activeExecutions: 0 },
      journal: { backlog: 0, lagMs: 0 },
      throughput: { windowSeconds: 60, nodesCompleted: 0, nodesPerSecond: 0, executionsEnded: 0 },
      durations: {
        node: { count: 0, p50Ms: null, p95Ms: null, maxMs: null },
        execution: { count: 0, p50Ms: null, p95Ms: null, maxMs: null },
      },
    });
  });

  it('counts a completed execution, its completed nodes and their durations', async () => {
    const { done } = await t.engine.run({
      name: 'two',
      nodes: [probe('slow', [], { config: { ms: 30 } }), probe('fast', ['slow'])],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    await t.tracker.flush();

    const snapshot = await stats.snapshot();
    expect(snapshot.executions).toEqual({ byStatus: { completed: 1 }, total: 1 });
    expect(snapshot.workers).toEqual({ max: 8, busy: 0, queued: 0, activeExecutions: 0 });
    expect(snapshot.throughput).toEqual({
      windowSeconds: 60,
      nodesCompleted: 2,
      nodesPerSecond: 0.03,
      executionsEnded: 1,
    });
    expect(snapshot.durations.node.count).toBe(2);
    expect(snapshot.durations.node.maxMs).toBeGreaterThanOrEqual(29);
    expect(snapshot.durations.node.p50Ms).toBeLessThan(29);
    expect(snapshot.durations.execution.count).toBe(1);
    expect(snapshot.durations.execution.maxMs).toBeGreaterThanOrEqual(29);
  });

  it('counts executions of several outcomes by status, nodes completed only when they complete', async () => {
    const ok = await t.engine.run({ name: 'ok', nodes: [probe('a')] });
    await ok.done;
    const bad = await t.engine.run({
      name: 'bad',
      nodes: [
        probe('fails', [], { config: { failTimes: 1, retryable: false } }),
        probe('after', ['fails']),
      ],
    });
    expect((await bad.done).status).toBe(ExecutionStatus.FAILED);
    await t.tracker.flush();

    const snapshot = await stats.snapshot();
    expect(snapshot.executions).toEqual({ byStatus: { completed: 1, failed: 1 }, total: 2 });
    expect(snapshot.throughput.nodesCompleted).toBe(1);
    expect(snapshot.throughput.executionsEnded).toBe(2);
    // The failed attempt ran; the skipped dependent never did.
    expect(snapshot.durations.node.count).toBe(2);
    expect(snapshot.durations.execution.count).toBe(2);
  });

  it('times every attempt of a retried node but counts the node completed once', async () => {
    const { done } = await t.engine.run({
      name: 'flaky',
      nodes: [
        probe('flaky', [], {
          config: { failTimes: 1 },
          retry: { maxAttempts: 2, initialDelayMs: 1, jitter: 0 },
        }),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);

    const snapshot = await stats.snapshot();
    expect(snapshot.throughput.nodesCompleted).toBe(1);
    expect(snapshot.durations.node.count).toBe(2);
  });
});

describe('ExecutionStatsService while nodes wait for a worker', () => {
  let t: TestEngine;
  let stats: ExecutionStatsService;

  beforeEach(async () => {
    t = await createTestEngine(
      { maxWorkers: 1, abortGraceMs: 20 },
      { providers: [ExecutionCounts, ExecutionStatsService] },
    );
    stats = t.module.get(ExecutionStatsService);
  });
  afterEach(() => t.close());

  it('shows busy and queued workers and the running execution while nodes run', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'hang',
      nodes: [
        probe('h1', [], { config: { hang: true } }),
        probe('h2', [], { config: { hang: true } }),
      ],
    });
    await waitFor(() => (t.probe.running === 1 ? true : undefined));
    await t.tracker.flush();

    const running = await stats.snapshot();
    expect(running.executions).toEqual({ byStatus: { running: 1 }, total: 1 });
    expect(running.workers).toEqual({ max: 1, busy: 1, queued: 1, activeExecutions: 1 });
    expect(running.throughput.executionsEnded).toBe(0);

    await t.engine.cancel(executionId);
    expect((await done).status).toBe(ExecutionStatus.CANCELLED);
    await t.tracker.flush();
    // NOTE: counts by status are reused for 2 s; this reads them anew.
    t.module.get(ExecutionCounts).invalidate();
    const ended = await stats.snapshot();
    expect(ended.executions).toEqual({ byStatus: { cancelled: 1 }, total: 1 });
    expect(ended.workers).toEqual({ max: 1, busy: 0, queued: 0, activeExecutions: 0 });
    expect(ended.throughput).toMatchObject({ nodesCompleted: 0, executionsEnded: 1 });
  });
});
