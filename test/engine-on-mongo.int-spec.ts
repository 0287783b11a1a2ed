import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
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
import {
  storedExecution,
  storedNode,
  storedNodes,
} from '@trellis/orchestration/engine/testing/journal.fixture';

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

/**
 * An HTTP endpoint that holds every request open until told to answer, and keeps the
 * Trellis-Fencing-Token of each request.
 */
class HeldUpstream {
  readonly tokens: number[] = [];
  private readonly held: ServerResponse[] = [];
  private readonly server = createServer((req, res) => {
    this.tokens.push(Number(req.headers['trellis-fencing-token']));
    this.held.push(res);
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/work`;
  }

  /** Answers the latest request with 200 and `body`. */
  answerLatest(body: unknown): void {
    const res = this.held[this.held.length - 1];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
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

  it('creates one execution for 100 concurrent starts under one idempotency key in one process', async () => {
    app = await startApp({ instanceId: 'keyed' });
    const engine = app.get(ExecutionEngine);
    const graph = await engine.createGraph({
      name: 'keyed',
      nodes: [{ id: 'a', type: 'DELAY', config: { ms: 1 } }],
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        engine.startExecution(graph.id, { idempotencyKey: 'one-key', input: {} }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.execution.id)).size).toBe(1);
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
    const byId = await storedNodes(store, executionId);
    expect(Object.keys(byId).sort()).toEqual(['check', 'cleanup', 'e2e', 'setup', 'unit']);
    expect(byId.check.status).toBe(NodeStatus.COMPLETED);
    expect(byId.cleanup).toMatchObject({ status: NodeStatus.FAILED, attempts: 1 });
    expect(result.status).toBe(ExecutionStatus.FAILED);
    expect(byId.unit.history.map((h) => h.to)).toEqual(['ready', 'running', 'completed']);
    expect(byId.check.output).toMatchObject({ valid: true });
    const stored = await storedExecution(store, executionId);
    expect(stored.status).toBe(ExecutionStatus.FAILED);
    expect(stored.history.map((h) => h.to)).toEqual(['pending', 'running', 'failed']);
    expect({ owner: stored.owner, epoch: stored.epoch }).toEqual({ owner: null, epoch: 1 });
  });

  it('resumes after the process running it is killed: the interrupted node runs again as a new attempt with a greater fencing token, a waiting gate keeps waiting', async () => {
    const upstream = new HeldUpstream();
    const url = await upstream.listen();
    try {
      const graph: GraphDefinition = {
        name: 'crash',
        nodes: [
          { id: 'first', type: 'DELAY', config: { ms: 0 } },
          { id: 'call', type: 'SETUP', dependsOn: ['first'], config: { http: { url } } },
          {
            id: 'gate',
            type: 'SYNCHRONIZATION',
            dependsOn: ['first'],
            config: { waitForSignal: true },
          },
          { id: 'last', type: 'DELAY', dependsOn: ['call', 'gate'], config: { ms: 0 } },
        ],
      };
      const file = join(mkdtempSync(join(tmpdir(), 'trellis-crash-')), 'graph.json');
      writeFileSync(file, JSON.stringify(graph));
      child = spawn(
        process.execPath,
        ['-r', '@swc-node/register', 'test/fixtures/engine-host.ts'],
        {
          env: { ...process.env, DB_NAME: dbName, GRAPH_FILE: file, LEASE_MS: '1500' },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
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
      // NOTE: durable mode makes the request only once attempt 1 is stored.
      await until(
        async () =>
          upstream.tokens.length === 1 &&
          (await storedNode(store, executionId, 'gate'))?.status === NodeStatus.WAITING
            ? true
            : undefined,
        'call to be running and gate to wait',
      );
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));

      const engine = app.get(ExecutionEngine);
      await until(
        async () => (engine.activeExecutionIds().includes(executionId) ? true : undefined),
        'the successor to claim the execution',
      );
      await until(
        async () => (upstream.tokens.length === 2 ? true : undefined),
        'call to be made again',
      );
      expect(await engine.getNodeState(executionId, 'gate')).toMatchObject({
        status: NodeStatus.WAITING,
        attempts: 0,
      });
      upstream.answerLatest({ done: true });
      await engine.signal(executionId, 'gate', { approvedBy: 'test' });
      const result = await engine.waitFor(executionId);

      expect(result.status).toBe(ExecutionStatus.COMPLETED);
      const nodes = await storedNodes(store, executionId);
      expect(nodes.first.attempts).toBe(1);
      expect(nodes.call).toMatchObject({
        status: NodeStatus.COMPLETED,
        attempts: 2,
        fencingToken: upstream.tokens[1],
        output: expect.objectContaining({ kind: 'http', httpStatus: 200 }),
      });
      // NOTE: the new owner's epoch is part of the token, so it outranks every token of the old one.
      expect(upstream.tokens[1]).toBeGreaterThan(upstream.tokens[0]);
      expect(nodes.call.history.map((h) => `${h.to}:${h.by}`)).toEqual([
        'ready:crash-host',
        'running:crash-host',
        'ready:successor',
        'running:successor',
        'completed:successor',
      ]);
      expect(nodes.call.history[2].reason).toBe('recovered: attempt 1 was interrupted');
      expect(nodes.gate).toMatchObject({ attempts: 1, output: { approvedBy: 'test' } });
      expect(nodes.gate.history.map((h) => `${h.to}:${h.by}`)).toEqual([
        'ready:crash-host',
        'waiting:crash-host',
        // NOTE: the release is the signaller's transition (the engine's default sender, api).
        'ready:api',
        'running:successor',
        'completed:successor',
      ]);
      expect(nodes.last.status).toBe(NodeStatus.COMPLETED);
      expect((await storedExecution(store, executionId)).epoch).toBe(2);
    } finally {
      await upstream.close();
    }
  }, 60_000);
});
