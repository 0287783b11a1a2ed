import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import {
  EXECUTION_STORE,
  ExecutionEngine,
  ExecutionStatus,
  ExecutionStore,
  GraphDefinition,
  NodeStatus,
  OrchestrationModule,
  OrchestrationModuleOptions,
} from '@trellis/orchestration';

const dbName = `trellis_engine_${process.pid}_${Date.now()}`;

async function startApp(options: OrchestrationModuleOptions): Promise<TestingModule> {
  const module = await Test.createTestingModule({
    imports: [
      ScheduleModule.forRoot(),
      MongooseModule.forRoot(process.env.MONGODB_URI!, { dbName }),
      OrchestrationModule.forRoot({ store: 'mongo', ...options }),
    ],
  }).compile();
  module.enableShutdownHooks();
  await module.init();
  return module;
}

async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the engine on a MongoDB-wire server', () => {
  let app: TestingModule | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    child?.kill('SIGKILL');
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    const cleanup = await startApp({ recoverOnStartup: false });
    await cleanup.get<Connection>(getConnectionToken()).dropDatabase();
    await cleanup.close();
  });

  it('runs a graph to completion and persists every node with its history', async () => {
    app = await startApp({ instanceId: 'in-process' });
    const engine = app.get(ExecutionEngine);
    const store = app.get<ExecutionStore>(EXECUTION_STORE);
    const { executionId, done } = await engine.run({
      name: 'ci-style',
      input: { suiteId: 's-1' },
      nodes: [
        { id: 'setup', type: 'DELAY', config: { ms: 0 } },
        { id: 'unit', type: 'DELAY', dependsOn: ['setup'], config: { ms: 5 } },
        { id: 'e2e', type: 'DELAY', dependsOn: ['setup'], config: { ms: 5 } },
        {
          id: 'check',
          type: 'VALIDATION',
          dependsOn: ['unit', 'e2e'],
          config: { rules: [{ path: 'input.suiteId', operator: 'eq', value: 's-1' }] },
        },
        {
          id: 'cleanup',
          type: 'CLEANUP',
          dependsOn: ['check'],
          config: { http: { url: 'http://127.0.0.1:9/' } },
          retry: { maxAttempts: 1 },
        },
      ],
    });
    const result = await done;
    const nodes = await store.findNodeStates(executionId);
    const byId = Object.fromEntries(nodes.map((n) => [n.nodeId, n]));
    expect(byId.check.status).toBe(NodeStatus.COMPLETED);
    expect(byId.cleanup.status).toBe(NodeStatus.FAILED);
    expect(result.status).toBe(ExecutionStatus.FAILED);
    expect(byId.unit.history.map((h) => h.to)).toEqual(['ready', 'running', 'completed']);
    expect(byId.check.output).toMatchObject({ valid: true });
    const stored = await store.findExecution(executionId);
    expect(stored!.status).toBe(ExecutionStatus.FAILED);
    expect(stored!.history.map((h) => h.to)).toEqual(['pending', 'running', 'failed']);
  });

  it('resumes after the process running it is killed, re-running the interrupted node as a new attempt', async () => {
    const graph: GraphDefinition = {
      name: 'crash',
      nodes: [
        { id: 'first', type: 'DELAY', config: { ms: 0 } },
        {
          id: 'gate',
          type: 'SYNCHRONIZATION',
          dependsOn: ['first'],
          config: { waitForSignal: true },
        },
        { id: 'last', type: 'DELAY', dependsOn: ['gate'], config: { ms: 0 } },
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'trellis-crash-')), 'graph.json');
    writeFileSync(file, JSON.stringify(graph));
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/fixtures/engine-host.ts'], {
      env: { ...process.env, DB_NAME: dbName, GRAPH_FILE: file, LEASE_MS: '1500' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const executionId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /started ([0-9a-f]{24})/.exec(out);
        if (match) resolve(match[1]);
      });
      child!.on('exit', (code) => reject(new Error(`host exited early (${code}): ${out}`)));
    });

    app = await startApp({
      instanceId: 'successor',
      leaseMs: 1500,
      stallCheckIntervalMs: 500,
      recoverOnStartup: false,
    });
    const store = app.get<ExecutionStore>(EXECUTION_STORE);
    await until(
      async () =>
        (await store.findNodeState(executionId, 'gate'))?.status === NodeStatus.RUNNING
          ? true
          : undefined,
      'gate running',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    const engine = app.get(ExecutionEngine);
    await until(
      async () => (engine.activeExecutionIds().includes(executionId) ? true : undefined),
      'the successor to claim the execution',
    );
    await until(
      async () =>
        (await store.findNodeState(executionId, 'gate'))?.attempts === 2 ? true : undefined,
      'gate re-run',
    );
    await engine.signal(executionId, 'gate', { approvedBy: 'test' });
    const result = await engine.waitFor(executionId);

    expect(result.status).toBe(ExecutionStatus.COMPLETED);
    const nodes = Object.fromEntries(
      (await store.findNodeStates(executionId)).map((n) => [n.nodeId, n]),
    );
    expect(nodes.first.attempts).toBe(1);
    expect(nodes.gate.attempts).toBe(2);
    expect(nodes.gate.output).toEqual({ approvedBy: 'test' });
    expect(nodes.gate.history.map((h) => `${h.to}:${h.by}`)).toEqual([
      'ready:crash-host',
      'running:crash-host',
      'ready:successor',
      'running:successor',
      'completed:successor',
    ]);
    expect(nodes.gate.history[2].reason).toBe('recovered: attempt 1 was interrupted');
    expect(nodes.last.status).toBe(NodeStatus.COMPLETED);
  });
});
