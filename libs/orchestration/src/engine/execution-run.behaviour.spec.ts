import { NodeDefinition } from '../graph/graph-definition.interface';
import { LocalHttpServer } from '../node-runner/handlers/testing/local-http-server.fixture';
import { OrchestrationModuleOptions } from '../orchestration-options.interface';
import { ExecutionRecord } from '../state-tracker/execution-record.interface';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { storedNode, storedNodes } from './testing/journal.fixture';
import { probe } from './testing/probe.handler';

/** An approval gate: the built-in SYNCHRONIZATION type waiting for a signal. */
const gate = (id: string, dependsOn: string[] = [], extra: Partial<NodeDefinition> = {}) => ({
  id,
  type: 'SYNCHRONIZATION',
  dependsOn,
  config: { waitForSignal: true },
  ...extra,
});

/** Lets the event loop turn (real I/O included) until `ok()` holds, at most `turns` times. */
async function until(ok: () => Promise<boolean>, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns && !(await ok()); i++) await new Promise((r) => setImmediate(r));
}

/** How `done` ended within a few event-loop turns (no timer moves meanwhile), or `still running`. */
async function endOf(done: Promise<Omit<ExecutionRecord, 'history'>>): Promise<string> {
  let status: string | undefined;
  void done.then((record) => (status = record.status));
  await until(async () => status !== undefined, 1000);
  return status ?? 'still running';
}

const statusOf = async (t: TestEngine, executionId: string, nodeId: string) =>
  (await storedNode(t.store, executionId, nodeId))?.status ?? NodeStatus.PENDING;

describe('ExecutionRun behaviour (fake timers)', () => {
  const engines: TestEngine[] = [];
  const engine = async (options: OrchestrationModuleOptions = {}) => {
    const t = await createTestEngine({ abortGraceMs: 50, ...options });
    engines.push(t);
    return t;
  };
  beforeEach(() =>
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }),
  );
  afterEach(async () => {
    for (const t of engines.splice(0)) await t.close();
    jest.useRealTimers();
  });

  it('gives a node without retry the default policy: 3 attempts ~1 s then ~2 s apart, then fails', async () => {
    const t = await engine();
    const { executionId, done } = await t.engine.run({
      name: 'default-retry',
      nodes: [probe('flaky', [], { config: { failTimes: 99 } }), probe('after', ['flaky'])],
    });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await endOf(done)).toBe(ExecutionStatus.FAILED);
    const node = (await storedNode(t.store, executionId, 'flaky'))!;
    expect(node).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
    expect(t.probe.starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    const starts = node.history.filter((h) => h.to === 'running').map((h) => h.at.getTime());
    const [first, second] = [starts[1] - starts[0], starts[2] - starts[1]];
    expect(first).toBeGreaterThanOrEqual(800);
    expect(first).toBeLessThanOrEqual(1200);
    expect(second).toBeGreaterThanOrEqual(1600);
    expect(second).toBeLessThanOrEqual(2400);
    expect(await statusOf(t, executionId, 'after')).toBe('skipped');
  });

  it("lets a node's own retry.maxAttempts override the default", async () => {
    const t = await engine();
    const { executionId, done } = await t.engine.run({
      name: 'once',
      nodes: [probe('once', [], { config: { failTimes: 99 }, retry: { maxAttempts: 1 } })],
    });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await endOf(done)).toBe(ExecutionStatus.FAILED);
    expect((await storedNode(t.store, executionId, 'once'))!.attempts).toBe(1);
    expect(t.probe.starts).toHaveLength(1);
  });

  it('takes the default policy from the defaultRetry module option', async () => {
    const t = await engine({ defaultRetry: { maxAttempts: 5 } });
    const { executionId, done } = await t.engine.run({
      name: 'five',
      nodes: [probe('flaky', [], { config: { failTimes: 99 } })],
    });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await endOf(done)).toBe(ExecutionStatus.FAILED);
    expect((await storedNode(t.store, executionId, 'flaky'))!.attempts).toBe(5);
    expect(t.probe.starts).toHaveLength(5);
  });

  it('keeps a signal sent before the gate is reached: the gate does not wait and runs once', async () => {
    const t = await engine();
    const { executionId, done } = await t.engine.run({
      name: 'early-signal',
      nodes: [probe('build', [], { config: { ms: 1000 } }), gate('approve', ['build'])],
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(await statusOf(t, executionId, 'build')).toBe('running');
    await t.engine.signal(executionId, 'approve', { approvedBy: 'ana' });
    expect(await statusOf(t, executionId, 'approve')).toBe('pending');
    await jest.advanceTimersByTimeAsync(1000);
    expect(await endOf(done)).toBe(ExecutionStatus.COMPLETED);
    const approve = (await storedNode(t.store, executionId, 'approve'))!;
    expect(approve).toMatchObject({ attempts: 1, output: { approvedBy: 'ana' } });
    expect(approve.history.map((h) => h.to)).toEqual(['ready', 'running', 'completed']);
  });

  it('fails a waiting gate that gets no signal within its timeoutMs, with no attempt, and skips its dependents', async () => {
    const t = await engine();
    const { executionId, done } = await t.engine.run({
      name: 'no-signal',
      nodes: [gate('approve', [], { timeoutMs: 5000 }), probe('deploy', ['approve'])],
    });
    await jest.advanceTimersByTimeAsync(4999);
    expect(await statusOf(t, executionId, 'approve')).toBe('waiting');
    await jest.advanceTimersByTimeAsync(1);
    expect(await endOf(done)).toBe(ExecutionStatus.FAILED);
    const nodes = await storedNodes(t.store, executionId);
    expect(nodes.approve).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: { code: 'NODE_TIMEOUT' },
    });
    expect(nodes.deploy.status).toBe('skipped');
    expect(t.probe.starts).toHaveLength(0);
  });

  describe('a CLEANUP node during a cancel', () => {
    let server: LocalHttpServer;
    beforeEach(async () => (server = await LocalHttpServer.start()));
    afterEach(() => server.close());

    /** Cancels while `work` runs; the CLEANUP after it gets HTTP 500 `failures` times, then 200. */
    async function cancelWithCleanup(failures: number) {
      server.respondWith((_req, res) => {
        res.statusCode = server.requests.length <= failures ? 500 : 200;
        res.end();
      });
      const t = await engine();
      const { executionId, done } = await t.engine.run({
        name: 'cancel-cleanup',
        nodes: [
          probe('work', [], { config: { hang: true } }),
          {
            id: 'teardown',
            type: 'CLEANUP',
            dependsOn: ['work'],
            config: { http: { url: server.url('/fixtures'), method: 'DELETE' } },
            retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 },
          },
        ],
      });
      await jest.advanceTimersByTimeAsync(0);
      await t.engine.cancel(executionId, 'tester');
      await until(async () => (await statusOf(t, executionId, 'teardown')) === NodeStatus.FAILED);
      await jest.advanceTimersByTimeAsync(100);
      await until(async () => server.requests.length === 2);
      const status = await endOf(done);
      return { status, nodes: await storedNodes(t.store, executionId) };
    }

    it('retries a cleanup that fails once: it completes after 2 attempts', async () => {
      const { status, nodes } = await cancelWithCleanup(1);
      expect(status).toBe(ExecutionStatus.CANCELLED);
      expect(nodes.work.status).toBe('cancelled');
      expect(nodes.teardown).toMatchObject({ status: 'completed', attempts: 2, error: null });
      expect(server.requests).toHaveLength(2);
    });

    it('ends a cleanup that always fails as failed, not cancelled, after its maxAttempts', async () => {
      const { status, nodes } = await cancelWithCleanup(99);
      expect(status).toBe(ExecutionStatus.CANCELLED);
      expect(nodes.teardown).toMatchObject({
        status: 'failed',
        attempts: 2,
        error: { code: 'ACTION_FAILED' },
      });
      expect(server.requests).toHaveLength(2);
    });
  });
});

describe('ExecutionRun behaviour', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine({ maxWorkers: 1 })));
  afterEach(() => t.close());

  it('holds an approval gate in waiting with no attempt and no worker slot until a signal releases it', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'gated',
      nodes: [probe('build'), gate('approve', ['build']), probe('deploy', ['approve'])],
    });
    await until(async () => (await statusOf(t, executionId, 'approve')) === NodeStatus.WAITING);
    expect((await storedNode(t.store, executionId, 'approve'))!.attempts).toBe(0);
    expect(t.engine.load().runningNodes).toBe(0);
    const other = await t.engine.run({ name: 'other', nodes: [probe('x'), probe('y', ['x'])] });
    expect(await endOf(other.done)).toBe(ExecutionStatus.COMPLETED);
    expect(await statusOf(t, executionId, 'approve')).toBe('waiting');

    await t.engine.signal(executionId, 'approve', { approvedBy: 'ana' });
    expect(await endOf(done)).toBe(ExecutionStatus.COMPLETED);
    const approve = (await storedNode(t.store, executionId, 'approve'))!;
    expect(approve).toMatchObject({
      status: 'completed',
      attempts: 1,
      output: { approvedBy: 'ana' },
    });
    expect(approve.history.map((h) => h.to)).toEqual([
      'ready',
      'waiting',
      'ready',
      'running',
      'completed',
    ]);
    expect(t.probe.order()).toEqual(['build', 'x', 'y', 'deploy']);
  });

  it.each([
    ['[]', false],
    ['{}', false],
    ['[false, 1]', true],
  ])('reads when: %s as the CONDITIONAL type reads its condition', async (when, holds) => {
    const { executionId, done } = await t.engine.run({
      name: 'when',
      nodes: [
        probe('guarded', [], { strategy: 'CONDITIONAL', when }),
        {
          id: 'choose',
          type: 'CONDITIONAL',
          config: { condition: when, then: ['yes'], else: ['no'] },
        },
        probe('yes', ['choose']),
        probe('no', ['choose']),
      ],
    });
    expect(await endOf(done)).toBe(ExecutionStatus.COMPLETED);
    const nodes = await storedNodes(t.store, executionId);
    expect(nodes.guarded.status).toBe(holds ? 'completed' : 'skipped');
    expect(nodes.choose.output).toMatchObject({ matched: holds ? 'then' : 'else' });
    expect([nodes.yes.status, nodes.no.status]).toEqual(
      holds ? ['completed', 'skipped'] : ['skipped', 'completed'],
    );
  });
});
