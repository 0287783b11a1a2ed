import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { filter, firstValueFrom, throwError, timeout } from 'rxjs';
import {
  createTestEngine,
  TestEngine,
} from '@trellis/orchestration/engine/testing/create-test-engine';
import { storedNodes } from '@trellis/orchestration/engine/testing/journal.fixture';
import {
  ExecutionStatus,
  GraphDefinition,
  GraphValidator,
  NodeStateRecord,
  NodeStatus,
  OrchestrationModuleOptions,
  StateChangeEvent,
} from '@trellis/orchestration';

const EXAMPLES_DIR = join(__dirname, '..', 'examples');
const dbName = `trellis_examples_${process.pid}_${Date.now()}`;

// NOTE: each example spawns a few node processes; leave room on a busy machine.
jest.setTimeout(30_000);

/** What the README tells a server to allow for the command examples. */
const NODE_COMMANDS: OrchestrationModuleOptions = {
  allowCommands: true,
  commandAllowlist: ['node'],
};

function startApp(options: OrchestrationModuleOptions = {}): Promise<TestEngine> {
  return createTestEngine(
    { store: 'mongo', instanceId: 'examples', ...options },
    { imports: [MongooseModule.forRoot(process.env.MONGODB_URI!, { dbName })] },
  );
}

function loadExample(file: string): GraphDefinition {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as GraphDefinition;
}

/** The stored nodes of an execution, by id, folded from its journal (pending nodes are absent). */
function nodesOf(app: TestEngine, executionId: string): Promise<Record<string, NodeStateRecord>> {
  return storedNodes(app.store, executionId);
}

function statusesOf(nodes: Record<string, NodeStateRecord>): Record<string, string> {
  return Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, n.status]));
}

/** The first transition of `nodeId` to `to`. Subscribe before starting the execution. */
function nodeReaches(app: TestEngine, nodeId: string, to: NodeStatus): Promise<StateChangeEvent> {
  return firstValueFrom(
    app.tracker.events$.pipe(
      filter((e) => e.kind === 'node' && e.nodeId === nodeId && e.to === String(to)),
      timeout({
        first: 10_000,
        with: () => throwError(() => new Error(`${nodeId} did not become ${to} within 10 s`)),
      }),
    ),
  );
}

describe('the example graphs in examples/', () => {
  afterAll(async () => {
    const cleanup = await startApp({ recoverOnStartup: false });
    await cleanup.module.get<Connection>(getConnectionToken()).dropDatabase();
    await cleanup.close();
  });

  describe('validation', () => {
    let app: TestEngine;
    beforeAll(async () => (app = await startApp()));
    afterAll(() => app.close());

    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));

    it('has the three documented examples', () => {
      expect(files.sort()).toEqual([
        'ci-pipeline.json',
        'data-pipeline.json',
        'failing-pipeline.json',
      ]);
    });

    it.each(files)('%s is a valid graph under the default options', (file) => {
      const definition = loadExample(file);
      const compiled = app.module.get(GraphValidator).compile(definition);
      expect(compiled.size).toBe(definition.nodes.length);
      expect(compiled.definition.name).toBe(file.replace(/\.json$/, ''));
    });
  });

  describe('with node commands allowed', () => {
    let app: TestEngine;
    beforeAll(async () => (app = await startApp(NODE_COMMANDS)));
    afterAll(() => app.close());

    it('ci-pipeline completes every node, and validation sees the parsed test results', async () => {
      const { executionId, done } = await app.engine.run(loadExample('ci-pipeline.json'));
      const result = await done;

      expect(result.status).toBe(ExecutionStatus.COMPLETED);
      expect(result.error).toBeNull();
      const nodes = await nodesOf(app, executionId);
      expect(statusesOf(nodes)).toEqual({
        'prepare-workspace': 'completed',
        'unit-tests': 'completed',
        'integration-tests': 'completed',
        'api-contract-tests': 'completed',
        'summarize-results': 'completed',
        'verify-results': 'completed',
        notify: 'completed',
        'cleanup-workspace': 'completed',
      });
      for (const [id, suite, passed] of [
        ['unit-tests', 'unit', 184],
        ['integration-tests', 'integration', 42],
        ['api-contract-tests', 'api-contract', 27],
      ] as const) {
        expect(nodes[id].output).toMatchObject({ status: 'passed', exitCode: 0, suiteId: suite });
        // NOTE: the suite id reached the process as TRELLIS_SUITE_ID and came back in its output.
        expect(JSON.parse((nodes[id].output as { outputTail: string }).outputTail)).toEqual({
          suite,
          passed,
          failed: 0,
          skipped: expect.any(Number),
        });
      }
      expect(nodes['summarize-results'].output).toEqual({
        suites: 3,
        passed: 253,
        failed: 0,
        skipped: 4,
        bySuite: { unit: 184, integration: 42, 'api-contract': 27 },
      });
      expect(nodes['verify-results'].output).toMatchObject({ valid: true });
      expect((nodes['verify-results'].output as { checked: unknown[] }).checked).toHaveLength(6);
      expect(nodes.notify.output).toEqual({
        channel: 'log',
        delivered: true,
        message: 'CI acme/storefront@9f3c2e1 (main): 253 passed, 0 failed, 4 skipped in 3 suites',
      });
      const cleanupStarted = nodes['cleanup-workspace'].startedAt!.getTime();
      expect(cleanupStarted).toBeGreaterThanOrEqual(nodes.notify.completedAt!.getTime());
    });

    it('failing-pipeline retries the failing test, skips its dependents, cleans up and ends failed', async () => {
      const { executionId, done } = await app.engine.run(loadExample('failing-pipeline.json'));
      const result = await done;

      expect(result.status).toBe(ExecutionStatus.FAILED);
      expect(result.error).toMatchObject({
        code: 'NODES_FAILED',
        message: '1 node(s) failed: checkout-e2e',
      });
      const nodes = await nodesOf(app, executionId);
      expect(statusesOf(nodes)).toEqual({
        'prepare-workspace': 'completed',
        'unit-tests': 'completed',
        'checkout-e2e': 'failed',
        'publish-unit-report': 'completed',
        'verify-results': 'skipped',
        'notify-release': 'skipped',
        'cleanup-workspace': 'completed',
      });
      const e2e = nodes['checkout-e2e'];
      expect(e2e.attempts).toBe(2);
      expect(e2e.history.map((h) => h.to)).toEqual([
        'ready',
        'running',
        'failed',
        'running',
        'failed',
      ]);
      expect(e2e.error).toMatchObject({
        code: 'TEST_FAILED',
        message: 'Test checkout-e2e failed: exit code 1',
        details: { status: 'failed', exitCode: 1, suiteId: 'checkout-e2e', caseId: 'TC-311' },
      });
      expect((e2e.error!.details as { outputTail: string }).outputTail).toContain(
        'TC-311 applies a coupon at checkout',
      );
      expect(nodes['verify-results'].history.at(-1)!.reason).toBe('dependency checkout-e2e failed');
      expect(nodes['notify-release'].history.at(-1)!.reason).toBe(
        'dependency verify-results skipped',
      );
      expect(nodes['publish-unit-report'].output).toEqual({
        suite: 'unit',
        passed: 184,
        failed: 0,
        skipped: 3,
        commit: '4b7d0aa',
      });
      expect(nodes['cleanup-workspace'].attempts).toBe(1);
    });
  });

  describe('with the default options (no commands)', () => {
    let app: TestEngine;
    beforeAll(async () => (app = await startApp()));
    afterAll(() => app.close());

    it('ci-pipeline is refused: its critical setup may not run node, so it halts and only cleanup is tried', async () => {
      const { executionId, done } = await app.engine.run(loadExample('ci-pipeline.json'));
      const result = await done;

      expect(result.status).toBe(ExecutionStatus.FAILED);
      expect(result.error).toMatchObject({ code: 'EXECUTION_HALTED' });
      expect(result.error!.message).toContain('critical node prepare-workspace failed');
      const nodes = await nodesOf(app, executionId);
      expect(nodes['prepare-workspace']).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { code: 'COMMAND_NOT_ALLOWED' },
      });
      expect(nodes['unit-tests'].status).toBe(NodeStatus.SKIPPED);
      expect(nodes['cleanup-workspace'].error).toMatchObject({ code: 'COMMAND_NOT_ALLOWED' });
    });

    it('data-pipeline sends a small batch down the auto-approve branch, skipping the approval gate', async () => {
      const { executionId, done } = await app.engine.run(loadExample('data-pipeline.json'));
      const result = await done;

      expect(result.status).toBe(ExecutionStatus.COMPLETED);
      const nodes = await nodesOf(app, executionId);
      expect(statusesOf(nodes)).toEqual({
        ingest: 'completed',
        'validate-batch': 'completed',
        route: 'completed',
        'approval-gate': 'skipped',
        'auto-approve': 'completed',
        approved: 'completed',
        transform: 'completed',
        notify: 'completed',
      });
      expect(nodes.route.output).toEqual({ matched: 'else', next: ['auto-approve'] });
      expect(nodes['approval-gate'].history.at(-1)!.reason).toBe('not selected by route');
      expect(nodes.transform.output).toEqual({
        batchId: 'orders-2026-11-26',
        currency: 'EUR',
        count: 3,
        total: 70.5,
        bySku: { 'TEE-BLUE-M': 58.5, 'MUG-WHITE': 12 },
      });
      expect(nodes.notify.output).toMatchObject({
        message: 'Batch orders-2026-11-26 loaded: 3 records, 70.5 EUR, approved by policy:auto',
      });
    });

    it('data-pipeline holds a large batch at approval-gate until it is signalled, then completes with the approval', async () => {
      const records = Array.from({ length: 8 }, (_, i) => ({
        orderId: `B-${2001 + i}`,
        sku: i % 2 ? 'mug-white' : 'tee-blue-m',
        quantity: 1,
        unitPrice: i % 2 ? 12 : 19.5,
      }));
      const waiting = nodeReaches(app, 'approval-gate', NodeStatus.WAITING);
      const { executionId, done } = await app.engine.run(loadExample('data-pipeline.json'), {
        input: { batchId: 'orders-2026-11-27', records },
      });

      expect((await waiting).executionId).toBe(executionId);
      expect(app.engine.activeExecutionIds()).toContain(executionId);
      // NOTE: events go out once stored, so the journal already holds the wait.
      const before = await nodesOf(app, executionId);
      expect(before.route.output).toEqual({ matched: 'then', next: ['approval-gate'] });
      expect(before['approval-gate']).toMatchObject({ status: 'waiting', attempts: 0 });
      expect(before.transform).toBeUndefined();
      expect(before.notify).toBeUndefined();
      const state = await app.engine.getExecutionState(executionId);
      expect(statusesOf(Object.fromEntries(state.nodes.map((n) => [n.nodeId, n])))).toMatchObject({
        'approval-gate': 'waiting',
        approved: 'pending',
        transform: 'pending',
        notify: 'pending',
      });

      const approval = { approvedBy: 'dana@acme.test', ticket: 'CHG-2041' };
      await app.engine.signal(executionId, 'approval-gate', approval);
      const result = await done;

      expect(result.status).toBe(ExecutionStatus.COMPLETED);
      const nodes = await nodesOf(app, executionId);
      expect(statusesOf(nodes)).toEqual({
        ingest: 'completed',
        'validate-batch': 'completed',
        route: 'completed',
        'approval-gate': 'completed',
        'auto-approve': 'skipped',
        approved: 'completed',
        transform: 'completed',
        notify: 'completed',
      });
      expect(nodes['approval-gate'].output).toEqual(approval);
      expect(nodes['approval-gate'].attempts).toBe(1);
      expect(nodes['approval-gate'].history.map((h) => [h.to, h.reason])).toEqual([
        ['ready', undefined],
        ['waiting', 'waiting for a signal'],
        ['ready', 'signal from api'],
        ['running', undefined],
        ['completed', undefined],
      ]);
      expect(nodes.transform.output).toMatchObject({ count: 8, total: 126 });
      expect(nodes.notify.output).toMatchObject({
        message: 'Batch orders-2026-11-27 loaded: 8 records, 126 EUR, approved by dana@acme.test',
      });
    });

    it('data-pipeline fails at approval-gate when no signal comes before its timeout, running nothing after it', async () => {
      const definition = loadExample('data-pipeline.json');
      definition.nodes.find((n) => n.id === 'approval-gate')!.timeoutMs = 200;
      const { executionId, done } = await app.engine.run(definition, {
        input: { approvalThreshold: 2 },
      });
      const result = await done;

      expect(result.status).toBe(ExecutionStatus.FAILED);
      expect(result.error).toMatchObject({ message: '1 node(s) failed: approval-gate' });
      const nodes = await nodesOf(app, executionId);
      expect(nodes['approval-gate'].error).toMatchObject({ code: 'NODE_TIMEOUT' });
      // NOTE: the wait was no attempt, and a timed-out wait is not retried (the default policy
      // would allow 3 attempts).
      expect(nodes['approval-gate'].attempts).toBe(0);
      expect(nodes['approval-gate'].history.map((h) => h.to)).toEqual([
        'ready',
        'waiting',
        'failed',
      ]);
      expect(statusesOf(nodes)).toMatchObject({
        route: 'completed',
        'approval-gate': 'failed',
        'auto-approve': 'skipped',
        approved: 'skipped',
        transform: 'skipped',
        notify: 'skipped',
      });
    });
  });
});
