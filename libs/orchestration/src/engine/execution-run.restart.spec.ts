import { NodeDefinition } from '../graph/graph-definition.interface';
import { NodeContext, NodeHandlerResult } from '../node-runner/node-context.interface';
import { NodeHandler } from '../node-runner/node-handler.decorator';
import { NodeTypeHandler } from '../node-runner/node-type-handler.interface';
import { InMemoryExecutionStore } from '../state-tracker/in-memory-execution.store';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { storedExecution, storedNode, storedNodes } from './testing/journal.fixture';
import { probe } from './testing/probe.handler';

/** ONLY_HERE: a type registered only in the first process; never ends unless aborted. */
@NodeHandler('ONLY_HERE')
class OnlyHereHandler implements NodeTypeHandler {
  execute(ctx: NodeContext): Promise<NodeHandlerResult> {
    return new Promise((_, reject) =>
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
    );
  }
}

/** Lets the event loop turn until `ok()` holds, at most `turns` times. */
async function until(ok: () => Promise<boolean>, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns && !(await ok()); i++) await new Promise((r) => setImmediate(r));
}

describe('ExecutionRun after a restart', () => {
  const instanceId = 'restarted';
  let resumed: TestEngine | undefined;
  afterEach(async () => {
    await resumed?.close();
    resumed = undefined;
  });

  /**
   * Runs `nodes` in a first process (which also knows ONLY_HERE) until `nodeId` runs, stops it,
   * and starts a second process with the same instanceId on the same store, without ONLY_HERE.
   */
  async function restartWhileRunning(nodes: NodeDefinition[], nodeId: string) {
    const store = new InMemoryExecutionStore();
    const first = await createTestEngine({ instanceId }, { store, providers: [OnlyHereHandler] });
    const { executionId } = await first.engine.run({ name: 'restart', nodes });
    await until(
      async () => (await storedNode(store, executionId, nodeId))?.status === NodeStatus.RUNNING,
    );
    await first.close();
    resumed = await createTestEngine({ instanceId }, { store });
    return { first, second: resumed, executionId };
  }

  it('counts the interrupted attempt: with none left the node fails with ATTEMPT_INTERRUPTED and is not run again', async () => {
    const { first, second, executionId } = await restartWhileRunning(
      [
        probe('once', [], { config: { hangAttempts: 1 }, retry: { maxAttempts: 1 } }),
        probe('after', ['once']),
      ],
      'once',
    );
    expect((await second.engine.waitFor(executionId)).status).toBe(ExecutionStatus.FAILED);
    const nodes = await storedNodes(second.store, executionId);
    expect(nodes.once).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'ATTEMPT_INTERRUPTED' },
    });
    expect(nodes.after.status).toBe('skipped');
    expect(first.probe.starts).toHaveLength(1);
    expect(second.probe.starts).toHaveLength(0);
  });

  it('runs an interrupted node again as its next attempt while attempts remain', async () => {
    const { first, second, executionId } = await restartWhileRunning(
      [probe('twice', [], { config: { hangAttempts: 1 }, retry: { maxAttempts: 2 } })],
      'twice',
    );
    expect((await second.engine.waitFor(executionId)).status).toBe(ExecutionStatus.COMPLETED);
    expect(first.probe.starts.map((s) => s.attempt)).toEqual([1]);
    expect(second.probe.starts.map((s) => s.attempt)).toEqual([2]);
    expect((await storedNode(second.store, executionId, 'twice'))!.attempts).toBe(2);
  });

  it('fails with NODE_TYPE_UNKNOWN an execution whose node type the resuming process does not know', async () => {
    const { second, executionId } = await restartWhileRunning(
      [{ id: 'special', type: 'ONLY_HERE' }, probe('after', ['special'])],
      'special',
    );
    await until(
      async () =>
        (await storedExecution(second.store, executionId)).status !== ExecutionStatus.RUNNING,
    );
    expect(await storedExecution(second.store, executionId)).toMatchObject({
      status: 'failed',
      error: { code: 'NODE_TYPE_UNKNOWN' },
    });
    const nodes = await storedNodes(second.store, executionId);
    expect([nodes.special.status, nodes.after.status]).toEqual(['failed', 'skipped']);
  });
});
