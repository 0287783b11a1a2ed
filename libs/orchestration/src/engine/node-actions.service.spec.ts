import { NodeActionRefusedError } from '../errors';
import { ExecutionStore } from '../state-tracker/execution-store.interface';
import { CommandEntry } from '../state-tracker/journal/journal-entry.interface';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { CommandInbox } from './command.inbox';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { EnginesOnOneStore, until } from './testing/engines-on-one-store';
import { storedFold, storedNodes } from './testing/journal.fixture';
import { probe } from './testing/probe.handler';

const LEASE_MS = 300;
/** An owner that never reads its commands within a test. */
const DEAF = { commandPollMs: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The command entries of an execution's journal. */
async function commandEntries(store: ExecutionStore, executionId: string) {
  const { pages } = await store.readJournal(executionId, {});
  return pages.flatMap((p) => p.entries).filter((e): e is CommandEntry => e.kind === 'command');
}

const startsOf = (t: TestEngine, nodeId: string) =>
  t.probe.starts.filter((s) => s.nodeId === nodeId).length;

describe('node actions sent to another instance', () => {
  const cluster = new EnginesOnOneStore({
    leaseMs: LEASE_MS,
    commandPollMs: 20,
    abortGraceMs: 50,
  });
  const engine = (instanceId: string, options: object = {}) => cluster.engine(instanceId, options);

  it('answers once the owner applied it', async () => {
    const a = await engine('a');
    const b = await engine('b');
    const { executionId } = await a.engine.run({
      name: 'applied',
      nodes: [probe('h'), probe('slow', [], { config: { hang: true } })],
    });
    await until(() => startsOf(a, 'slow') === 1, 'slow to start');
    await until(
      async () =>
        (await storedNodes(cluster.store, executionId)).h?.status === NodeStatus.COMPLETED,
      'h',
    );

    const result = await b.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'h', by: 'ana' });

    expect(result).toEqual({ pending: false });
    const entries = await commandEntries(cluster.store, executionId);
    expect(entries).toHaveLength(1);
    expect(entries[0].refused).toBeUndefined();
    await until(() => startsOf(a, 'h') === 2, 'h to run again on a');
    expect(await cluster.store.readCommands()).toEqual([]);
  });

  it('answers 409 with the state when the owner refused it (a skip of a node that started meanwhile)', async () => {
    const a = await engine('a', { commandPollMs: 300 });
    const b = await engine('b');
    const { executionId } = await a.engine.run({
      name: 'refused',
      nodes: [
        probe('gate', [], { config: { ms: 150 } }),
        probe('next', ['gate'], { config: { hang: true } }),
      ],
    });
    // NOTE: the skip is checked against a stored `pending` node that runs by the owner's poll.
    const sent = b.engine.actOnNode(executionId, { kind: 'skip', nodeId: 'next', by: 'ana' });
    const refusal = await sent.catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(NodeActionRefusedError);
    expect(refusal).toMatchObject({ nodeId: 'next', executionStatus: 'running' });
    const [entry] = await commandEntries(cluster.store, executionId);
    expect(entry.refused).toMatch(/running/);
    expect(await cluster.store.readCommands()).toEqual([]);
    const nodes = await storedNodes(cluster.store, executionId);
    expect(nodes.next.status).toBe(NodeStatus.RUNNING);
  });

  it('applies it by reopening the execution when it ended before the owner read the command', async () => {
    const a = await engine('a', DEAF);
    const b = await engine('b');
    const { executionId, done } = await a.engine.run({
      name: 'ends first',
      nodes: [probe('h'), probe('slow', [], { config: { ms: 300 } })],
    });
    await until(
      async () =>
        (await storedNodes(cluster.store, executionId)).h?.status === NodeStatus.COMPLETED,
      'h',
    );

    const result = await b.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'h', by: 'ana' });

    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    expect(result).toEqual({ pending: false });
    const final = await b.engine.waitFor(executionId);
    expect(final.status).toBe(ExecutionStatus.COMPLETED);
    expect(startsOf(b, 'h')).toBe(1);
    expect(startsOf(b, 'slow')).toBe(0);
    expect(await cluster.store.readCommands()).toEqual([]);
    expect(await commandEntries(cluster.store, executionId)).toHaveLength(1);

    // NOTE: a later re-run of the execution finds no command left to apply to it.
    await b.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'slow', by: 'bob' });
    await b.engine.waitFor(executionId);
    expect(startsOf(b, 'h')).toBe(1);
  });

  it('never applies a command to a re-run of the execution begun after it was sent', async () => {
    const a = await engine('a');
    const { executionId, done } = await a.engine.run({
      name: 'stale',
      nodes: [probe('h'), probe('slow', [], { config: { hangAttempts: 2 } })],
    });
    await until(() => startsOf(a, 'slow') === 1, 'slow to start');
    const before = await storedFold(cluster.store, executionId);
    await a.engine.cancel(executionId, 'ana');
    await done;
    await a.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'slow', by: 'ana' });
    await until(() => startsOf(a, 'slow') === 2, 'slow to run again');
    // NOTE: a command checked against the state before the cancel and the re-run.
    await cluster.store.insertCommand({
      id: 'stale-1',
      executionId,
      type: 'retry-node',
      nodeId: 'h',
      by: 'bob',
      at: new Date(),
      seq: before.seq,
    });
    await a.module.get(CommandInbox).poll();

    const [entry] = await commandEntries(cluster.store, executionId);
    expect(entry).toMatchObject({ commandId: 'stale-1', refused: expect.stringMatching(/re-run/) });
    expect(startsOf(a, 'h')).toBe(1);
    expect(await cluster.store.readCommands()).toEqual([]);
  });

  it('applies a command once after a takeover between its insert and its owner applying it', async () => {
    const a = await engine('a', DEAF);
    const b = await engine('b');
    const { executionId } = await a.engine.run({
      name: 'takeover',
      nodes: [probe('h'), probe('slow', [], { config: { hangAttempts: 1 } })],
    });
    await until(() => startsOf(a, 'slow') === 1, 'slow to start');
    await until(
      async () =>
        (await storedNodes(cluster.store, executionId)).h?.status === NodeStatus.COMPLETED,
      'h',
    );

    const sent = b.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'h', by: 'ana' });
    await sleep(50);
    await a.close();
    cluster.engines.splice(cluster.engines.indexOf(a), 1);
    const result = await sent;
    await until(() => startsOf(b, 'h') === 1, 'b to take over and apply the command', 8000);
    await until(
      async () => (await cluster.store.readCommands()).length === 0,
      'the command deleted',
    );

    // NOTE: b answers `pending` if the takeover came after its wait, applied otherwise.
    expect([true, false]).toContain(result.pending);
    expect(await b.engine.waitFor(executionId)).toMatchObject({ status: 'completed' });
    expect(startsOf(b, 'h')).toBe(1);
    expect(await commandEntries(cluster.store, executionId)).toHaveLength(1);
  });
});

describe('commands whose sender stopped waiting', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine({ abortGraceMs: 50, commandPollMs: 20 })));
  afterEach(() => t.close());

  it('applies a node action left for an execution that ended, once, by reopening it', async () => {
    const { executionId, done } = await t.engine.run({ name: 'orphan', nodes: [probe('h')] });
    await done;
    const fold = await storedFold(t.store, executionId);
    const command = {
      id: 'orphan-1',
      executionId,
      type: 'retry-node' as const,
      nodeId: 'h',
      by: 'ana',
      at: new Date(),
      seq: fold.seq,
    };
    await t.store.insertCommand(command);
    const inbox = t.module.get(CommandInbox);

    await inbox.settleOrphan(command);
    await t.engine.waitFor(executionId);
    await inbox.settleOrphan(command);

    expect(startsOf(t, 'h')).toBe(2);
    expect(await t.store.readCommands()).toEqual([]);
    expect(await commandEntries(t.store, executionId)).toHaveLength(1);
  });

  it('refuses and deletes a cancel left for an execution that ended', async () => {
    const { executionId, done } = await t.engine.run({ name: 'orphan', nodes: [probe('h')] });
    await done;
    const command = {
      id: 'orphan-2',
      executionId,
      type: 'cancel' as const,
      by: 'ana',
      at: new Date(),
    };
    await t.store.insertCommand(command);

    await t.module.get(CommandInbox).settleOrphan(command);

    expect(await t.store.readCommands()).toEqual([]);
    expect((await storedFold(t.store, executionId)).record!.status).toBe(ExecutionStatus.COMPLETED);
  });
});

describe('reopening an ended execution by a node action', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine({ abortGraceMs: 50 })));
  afterEach(() => t.close());

  it('re-runs the nodes a cancel stopped, so it cannot end completed with them cancelled', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'cancelled',
      nodes: [
        probe('a', [], { config: { hangAttempts: 1 } }),
        probe('b', [], { config: { hangAttempts: 1 } }),
        probe('c', ['b']),
      ],
    });
    await until(() => t.probe.running === 2, 'a and b to start');
    await t.engine.cancel(executionId, 'ana');
    expect((await done).status).toBe(ExecutionStatus.CANCELLED);

    await t.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'c', by: 'ana' });
    const final = await t.engine.waitFor(executionId);

    expect(final.status).toBe(ExecutionStatus.COMPLETED);
    const nodes = await storedNodes(t.store, executionId);
    expect([nodes.a.status, nodes.b.status, nodes.c.status]).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
  });

  it('re-runs the nodes a critical failure halted when the operator completes the failed node', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'halted',
      nodes: [
        probe('critical', [], { critical: true, config: { failTimes: 1, retryable: false } }),
        probe('slow', [], { config: { hangAttempts: 1 } }),
        probe('slowNext', ['slow']),
        probe('after', ['critical']),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    const halted = await storedNodes(t.store, executionId);
    expect([halted.slow.status, halted.slowNext.status]).toEqual(['cancelled', 'skipped']);

    await t.engine.actOnNode(executionId, {
      kind: 'complete',
      nodeId: 'critical',
      by: 'ana',
      output: { fixed: true },
    });
    const final = await t.engine.waitFor(executionId);

    expect(final.status).toBe(ExecutionStatus.COMPLETED);
    const nodes = await storedNodes(t.store, executionId);
    expect(
      Object.values(nodes)
        .map((n) => `${n.nodeId}:${n.status}`)
        .sort(),
    ).toEqual(['after:completed', 'critical:completed', 'slow:completed', 'slowNext:completed']);
  });

  it('does not retry by itself a node that waited to retry when the run stopped', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'waiting to retry',
      nodes: [
        probe('flaky', [], {
          config: { failTimes: 5 },
          retry: { maxAttempts: 3, backoff: 'fixed', initialDelayMs: 60_000 },
        }),
        probe('other', [], { config: { hangAttempts: 1 } }),
      ],
    });
    await until(
      async () => (await storedNodes(t.store, executionId)).flaky?.status === NodeStatus.FAILED,
      'flaky',
    );
    await t.engine.cancel(executionId, 'ana');
    await done;
    expect((await storedNodes(t.store, executionId)).flaky.nextAttemptAt).toBeNull();

    await t.engine.actOnNode(executionId, { kind: 'retry', nodeId: 'other', by: 'ana' });
    const final = await t.engine.waitFor(executionId);

    expect(final.status).toBe(ExecutionStatus.FAILED);
    expect(startsOf(t, 'flaky')).toBe(1);
    const nodes = await storedNodes(t.store, executionId);
    expect(nodes.flaky).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(nodes.other.status).toBe('completed');
  });
});

describe('retrying a completed node while its dependents run', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine({ abortGraceMs: 50 })));
  afterEach(() => t.close());

  it('is refused while a dependent is ready or running, so none starts without its input', async () => {
    const { executionId } = await t.engine.run({
      name: 'dependents',
      maxParallelism: 1,
      nodes: [probe('a'), probe('b', ['a'], { config: { hangAttempts: 1 } }), probe('c', ['a'])],
    });
    await until(() => startsOf(t, 'b') === 1, 'b to start');
    const nodes = await t.engine.getNodeStates(executionId);
    expect(nodes.find((n) => n.nodeId === 'c')!.status).toBe(NodeStatus.READY);

    const refusal = await t.engine
      .actOnNode(executionId, { kind: 'retry', nodeId: 'a', by: 'ana' })
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(NodeActionRefusedError);
    expect((refusal as Error).message).toMatch(/node [bc] downstream of it is (ready|running)/);
    expect(startsOf(t, 'a')).toBe(1);
    const upstreams = t.probe.starts.filter((s) => s.nodeId === 'c').map((s) => s.upstream);
    expect(upstreams.every((u) => u.a !== null)).toBe(true);
  });
});
