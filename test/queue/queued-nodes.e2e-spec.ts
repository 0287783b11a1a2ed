/**
 * QUEUED nodes over the real stack: the server (durable, FerretDB) sends attempts to BullMQ on a
 * real Redis, a separate worker process runs them with the same built-in handlers, and the
 * results come back into the journal. Nodes call a local HTTP service that records each call and
 * its fencing token, so the side effects are counted, not only the final statuses.
 */
import {
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  TrellisServer,
  waitForStatus,
} from '../fixtures/trellis-server';
import { QueuedSuite, startGraphExecution, watchPool } from '../fixtures/queue.fixture';
import { startWorker, TrellisWorker } from '../fixtures/trellis-worker';
import { FencedService, startFencedService } from '../cluster/fenced-service.fixture';

jest.setTimeout(120_000);

const REDIS_URL = process.env.REDIS_URL!;

describe('QUEUED nodes on a worker process', () => {
  const uri = databaseUri(databaseName('queued'));
  const prefix = `tq${process.pid}${Date.now()}`;
  let service: FencedService;
  let server: TrellisServer;
  let worker: TrellisWorker;

  beforeAll(async () => {
    service = await startFencedService(() => 20);
    const env = { REDIS_URL, TRELLIS_QUEUE_PREFIX: prefix };
    [server, worker] = await Promise.all([
      startServer({ ...env, MONGODB_URI: uri, TRELLIS_QUEUE_SCHEDULE_TO_START_MS: '0' }),
      startWorker({ ...env, TRELLIS_WORKER_CONCURRENCY: '8' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), worker?.stop()]);
    await service?.close();
    await dropDatabase(uri);
  });

  const call = (id: string, dependsOn: string[] = []) => ({
    id,
    type: 'SETUP',
    strategy: 'QUEUED',
    dependsOn,
    config: { http: { url: `${service.url}/work`, method: 'POST' } },
  });

  it('runs every node once on the worker and records its output and fencing token', async () => {
    const nodes = [
      call('a'),
      ...Array.from({ length: 10 }, (_, i) => call(`b${i}`, ['a'])),
      {
        id: 'sum',
        type: 'DATA_PROCESSING',
        strategy: 'QUEUED',
        queue: { priority: 1 },
        dependsOn: Array.from({ length: 10 }, (_, i) => `b${i}`),
        config: { expression: '$count($keys(upstream))' },
      },
    ];
    const graph = await request(`${server.url}/graphs`, { body: { name: 'queued', nodes } });
    expect(graph.status).toBe(201);
    const started = await request(`${server.url}/graphs/${graph.body.id}/executions`, { body: {} });
    expect(started.status).toBe(201);
    const execution = await waitForStatus(
      server.url,
      started.body.id,
      ['completed', 'failed'],
      60_000,
    );

    const calls = service.calls.filter((c) => c.executionId === started.body.id);
    expect(calls).toHaveLength(11);
    expect(new Set(calls.map((c) => c.nodeId)).size).toBe(11);
    const byId = new Map<string, any>(execution.nodes.map((n: any) => [n.nodeId, n]));
    for (const c of calls) {
      const node = byId.get(c.nodeId);
      expect(node.status).toBe('completed');
      expect(node.attempts).toBe(1);
      expect(node.fencingToken).toBe(c.token);
    }
    expect(byId.get('sum').output).toBe(10);
    expect(execution.status).toBe('completed');

    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^trellis_pool_workers\{pool="default"\} 1$/m);
    expect(metrics).toMatch(/^trellis_pool_jobs\{pool="default",state="waiting"\} 0$/m);
    expect(metrics).toMatch(/^trellis_queued_attempts\{outcome="completed"\} 12$/m);
    expect(metrics).toMatch(/^trellis_queued_attempts\{outcome="stale_results"\} 0$/m);
  });

  it('a graph-level default strategy sends the nodes that name none to the workers', async () => {
    const queued = async () => (await request(`${server.url}/stats`)).body.queue.completed;
    const before = await queued();
    const own = (id: string, dependsOn: string[] = []) => {
      const { strategy: _queued, ...node } = call(id, dependsOn);
      return node;
    };
    const id = await startGraphExecution(
      server.url,
      'defaults',
      [own('a'), own('b', ['a']), { ...own('local', ['a']), strategy: 'DIRECT' }],
      { defaults: { strategy: 'QUEUED', queue: { priority: 2 } } },
    );
    const execution = await waitForStatus(server.url, id, ['completed', 'failed'], 60_000);
    expect(execution.status).toBe('completed');
    expect(service.calls.filter((c) => c.executionId === id)).toHaveLength(3);
    // a and b ran on the worker; local, which names DIRECT, in the engine.
    expect((await queued()) - before).toBe(2);
  });
});

describe('QUEUED nodes waiting for a worker', () => {
  const suite = new QueuedSuite('queuewait');

  const start = (nodes: object[]) => startGraphExecution(suite.server.url, 'wait', nodes);

  it('waits, shown in /stats, until a worker of its pool starts; then runs once', async () => {
    const id = await start([
      {
        id: 'later',
        type: 'SETUP',
        strategy: 'QUEUED',
        queue: { pool: 'late' },
        config: { http: { url: `${suite.service.url}/work`, method: 'POST' } },
      },
    ]);
    const pool = await watchPool(suite.server.url, 'late', (p) => p?.waiting === 1);
    expect(pool).toMatchObject({ waiting: 1, active: 0, workers: 0, outstanding: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(suite.service.calls.filter((c) => c.executionId === id)).toHaveLength(0);
    expect((await request(`${suite.server.url}/executions/${id}`)).body.status).toBe('running');

    suite.workers.push(await startWorker({ ...suite.env, TRELLIS_WORKER_POOL: 'late' }));
    const done = await waitForStatus(suite.server.url, id, ['completed', 'failed'], 30_000);
    expect(done.status).toBe('completed');
    expect(suite.service.calls.filter((c) => c.executionId === id)).toHaveLength(1);
  });

  it('fails with QUEUE_SCHEDULE_TIMEOUT when no worker starts it in time', async () => {
    const id = await start([
      {
        id: 'nobody',
        type: 'DELAY',
        strategy: 'QUEUED',
        queue: { pool: 'empty', scheduleToStartTimeoutMs: 300 },
        config: { ms: 1 },
      },
    ]);
    const done = await waitForStatus(suite.server.url, id, ['completed', 'failed'], 10_000);
    expect(done.status).toBe('failed');
    const node = done.nodes.find((n: any) => n.nodeId === 'nobody');
    expect(node.error.code).toBe('QUEUE_SCHEDULE_TIMEOUT');
    expect(node.error.message).toMatch(/No worker of pool empty started the attempt within 300 ms/);
    expect(node.attempts).toBe(1);
  });

  it('cancel reaches the worker: the running handler is aborted', async () => {
    suite.workers.push(await startWorker({ ...suite.env, TRELLIS_WORKER_POOL: 'long' }));
    const id = await start([
      {
        id: 'long',
        type: 'DELAY',
        strategy: 'QUEUED',
        queue: { pool: 'long' },
        config: { ms: 60_000 },
      },
    ]);
    const running = await watchPool(suite.server.url, 'long', (p) => (p?.active ?? 0) > 0);
    expect(running?.active ?? 0).toBe(1);
    const cancelledAt = Date.now();
    const cancel = await request(`${suite.server.url}/executions/${id}/cancel`, {
      body: { reason: 'test' },
    });
    expect(cancel.status).toBeLessThan(300);
    const done = await waitForStatus(
      suite.server.url,
      id,
      ['cancelled', 'failed', 'completed'],
      10_000,
    );
    expect(done.status).toBe('cancelled');
    // NOTE: the worker's job ends once its handler sees the abort, not after 60 s.
    const after = await watchPool(
      suite.server.url,
      'long',
      (p) => (p?.active ?? 1) === 0,
      10_000 - (Date.now() - cancelledAt),
    );
    expect(after?.active ?? 1).toBe(0);
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
  });
});
