import { OverloadedError, StoreUnavailableError } from '../errors';
import { ExecutionStatus } from '../state-tracker/status.enum';
import { ControlledStore } from '../state-tracker/testing/controlled.store';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { probe } from './testing/probe.handler';

describe('creating an execution on a store that answers late', () => {
  let store: ControlledStore;
  let t: TestEngine;
  beforeEach(async () => {
    store = new ControlledStore();
    t = await createTestEngine({ storeTimeoutMs: 50 }, { store });
  });
  afterEach(() => t.close());

  it('names the unconfirmed execution in the 503, and runs it once the insert lands', async () => {
    const graph = await t.engine.createGraph({ name: 'late', nodes: [probe('a')] });
    const release = store.holdCreations();
    const error = await t.engine.startExecution(graph.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const { executionId, message } = error as StoreUnavailableError;
    expect(executionId).toMatch(/^[0-9a-f]{24}$/);
    expect(message).toContain(`Execution ${executionId} was not confirmed`);
    expect(t.probe.starts).toHaveLength(0);
    release();
    await t.tracker.flush();
    for (let i = 0; i < 100 && t.probe.starts.length === 0; i++) await tick();
    expect((await t.engine.waitFor(executionId!)).status).toBe(ExecutionStatus.COMPLETED);
    expect(t.probe.order()).toEqual(['a']);
  });

  it('finds that execution when the caller retries with the same idempotency key', async () => {
    const graph = await t.engine.createGraph({ name: 'late', nodes: [probe('a')] });
    const release = store.holdCreations();
    const error = (await t.engine
      .startExecution(graph.id, { idempotencyKey: 'k1' })
      .catch((e: unknown) => e)) as StoreUnavailableError;
    release();
    const retried = await t.engine.startExecution(graph.id, { idempotencyKey: 'k1' });
    expect(retried.created).toBe(false);
    expect(retried.execution.id).toBe(error.executionId);
    await t.engine.waitFor(error.executionId!);
    expect(t.probe.order()).toEqual(['a']);
  });

  it('refuses new executions while a creation has waited for the store past the lag limit', async () => {
    await t.close();
    t = await createTestEngine({ storeTimeoutMs: 5000, maxJournalLagMs: 100 }, { store });
    const graph = await t.engine.createGraph({ name: 'slow', nodes: [probe('a')] });
    const release = store.holdCreations();
    const first = t.engine.startExecution(graph.id);
    await tick(150);
    const refused = await t.engine.startExecution(graph.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OverloadedError);
    expect((refused as OverloadedError).message).toMatch(/The state store is \d+ ms behind/);
    release();
    const { execution } = await first;
    await t.engine.waitFor(execution.id);
    expect(t.probe.order()).toEqual(['a']);
    await t.engine.startExecution(graph.id);
  });
});

const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));
