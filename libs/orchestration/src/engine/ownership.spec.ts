import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { EnginesOnOneStore, until } from './testing/engines-on-one-store';
import { storedFold, storedNode } from './testing/journal.fixture';
import { probe } from './testing/probe.handler';

const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('several engines on one store', () => {
  const cluster = new EnginesOnOneStore({
    leaseMs: LEASE_MS,
    commandPollMs: 20,
    abortGraceMs: 50,
  });
  const engine = (instanceId: string, options: object = {}) => cluster.engine(instanceId, options);

  it('claims the executions of an instance whose lease stopped, re-running the interrupted node as a new attempt', async () => {
    const a = await engine('a');
    const { executionId } = await a.engine.run({
      name: 'takeover',
      nodes: [
        probe('first'),
        probe('gate', ['first'], { config: { hangAttempts: 1 } }),
        probe('last', ['gate']),
      ],
    });
    await until(() => a.probe.order().includes('gate'), 'gate to start on a');
    await a.close();
    cluster.engines.splice(cluster.engines.indexOf(a), 1);

    const b = await engine('b');
    await until(
      async () => (await b.engine.getExecution(executionId)).status === ExecutionStatus.COMPLETED,
      'b to claim and complete it',
    );
    expect(b.probe.order()).toEqual(['gate', 'last']);
    const gate = await storedNode(cluster.store, executionId, 'gate');
    expect(gate!.attempts).toBe(2);
    expect(gate!.history.map((h) => h.reason).filter(Boolean)).toContain(
      'recovered: attempt 1 was interrupted',
    );
    const fold = await storedFold(cluster.store, executionId);
    expect(fold.record!.epoch).toBe(2);
    expect(b.probe.starts[0].fencingToken).toBeGreaterThan(a.probe.starts[1].fencingToken);
  });

  it('leaves alone the executions of an instance that renews its lease', async () => {
    const a = await engine('a');
    const { executionId } = await a.engine.run({
      name: 'kept',
      nodes: [probe('wait', [], { config: { hang: true } })],
    });
    const b = await engine('b');
    await sleep(LEASE_MS * 3);
    await b.engine.recover();
    expect(b.engine.activeExecutionIds()).toEqual([]);
    expect(a.engine.activeExecutionIds()).toEqual([executionId]);
    expect((await storedFold(cluster.store, executionId)).record!.owner).toBe('a');
  });

  it('takes cancel and signal on any instance: the owner applies them', async () => {
    const a = await engine('a');
    const b = await engine('b');
    const gated = await a.engine.run({
      name: 'gated',
      nodes: [
        { id: 'gate', type: 'SYNCHRONIZATION', config: { waitForSignal: true } },
        probe('after', ['gate']),
      ],
    });
    await until(
      async () =>
        (await storedNode(cluster.store, gated.executionId, 'gate'))?.status === NodeStatus.WAITING,
      'the gate to wait',
    );
    await b.engine.signal(gated.executionId, 'gate', { approvedBy: 'b' }, 'dana');
    const done = await gated.done;
    expect(done.status).toBe(ExecutionStatus.COMPLETED);
    const gate = await storedNode(cluster.store, gated.executionId, 'gate');
    expect(gate!.output).toEqual({ approvedBy: 'b' });
    expect(gate!.history.find((h) => h.to === 'ready' && h.from === 'waiting')!.reason).toBe(
      'signal from dana',
    );

    const long = await a.engine.run({
      name: 'long',
      nodes: [probe('wait', [], { config: { hang: true } })],
    });
    await until(() => a.probe.order().includes('wait'), 'wait to start');
    await b.engine.cancel(long.executionId, 'ops', 'not needed');
    const cancelled = await long.done;
    expect(cancelled.status).toBe(ExecutionStatus.CANCELLED);
    expect(cancelled.error).toMatchObject({ message: 'not needed' });
    expect((await storedNode(cluster.store, long.executionId, 'wait'))!.history.at(-1)!.by).toBe(
      'ops',
    );
    expect(await cluster.store.readCommands()).toEqual([]);
  });

  it('refuses a command for an ended execution wherever it arrives', async () => {
    const a = await engine('a');
    const b = await engine('b');
    const { executionId, done } = await a.engine.run({ name: 'quick', nodes: [probe('a')] });
    await done;
    await expect(b.engine.cancel(executionId)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      state: 'completed',
    });
  });

  it('lets go of its executions when it cannot renew its lease, and claims them back once it can', async () => {
    const a = await engine('a');
    const { executionId } = await a.engine.run({
      name: 'cut off',
      nodes: [probe('work', [], { config: { hangAttempts: 1 } })],
    });
    await until(() => a.probe.order().includes('work'), 'work to start');
    cluster.store.failLeases(true);
    await until(
      () => a.probe.aborted.includes('work'),
      'the running node to be aborted',
      LEASE_MS * 6,
    );
    expect(a.engine.activeExecutionIds()).toEqual([]);
    cluster.store.failLeases(false);
    await until(
      async () => (await a.engine.getExecution(executionId)).status === ExecutionStatus.COMPLETED,
      'the claim back to complete it',
      LEASE_MS * 6,
    );
    expect((await storedNode(cluster.store, executionId, 'work'))!.attempts).toBe(2);
  });
});
