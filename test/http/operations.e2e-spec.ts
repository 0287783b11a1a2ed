import { CuttableProxy } from '../fixtures/cuttable.proxy';
import {
  databaseName,
  databaseUri,
  dropDatabase,
  expectError,
  request,
  serverPerSuite,
  startServer,
  TrellisServer,
  waitForStatus,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('operations'));

describe('HTTP operations', () => {
  const suite = serverPerSuite(mongoUri, { TRELLIS_MAX_WORKERS: '8' });
  let api: string;

  beforeAll(async () => {
    api = suite.url;
    const quick = await request(`${api}/graphs`, {
      body: {
        name: 'ops-quick',
        nodes: [
          { id: 'a', type: 'DELAY', config: { ms: 20 } },
          { id: 'b', type: 'DELAY', dependsOn: ['a'], config: { ms: 20 } },
        ],
      },
    });
    const failing = await request(`${api}/graphs`, {
      body: {
        name: 'ops-failing',
        nodes: [
          {
            id: 'check',
            type: 'VALIDATION',
            config: { rules: [{ path: 'input.ok', operator: 'eq', value: true }] },
          },
        ],
      },
    });
    const ok = await request(`${api}/graphs/${quick.body.id}/executions`, { body: {} });
    const bad = await request(`${api}/graphs/${failing.body.id}/executions`, { body: {} });
    await waitForStatus(api, ok.body.id, ['completed']);
    await waitForStatus(api, bad.body.id, ['failed']);
  }, 60_000);

  it('reports health: 200, status ok, the store up', async () => {
    const res = await request(`${api}/health`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { store: { status: 'up' } } });
  });

  it('reports stats: counts by status, workers, throughput and durations', async () => {
    const res = await request(`${api}/stats`);

    expect(res.status).toBe(200);
    const stats = res.body;
    expect(stats.executions).toEqual({ byStatus: { completed: 1, failed: 1 }, total: 2 });
    expect(stats.workers).toMatchObject({ max: 8, busy: 0, queued: 0 });
    expect(stats.throughput).toEqual({
      windowSeconds: 60,
      nodesCompleted: 2,
      nodesPerSecond: expect.any(Number),
      executionsEnded: 2,
    });
    expect(stats.throughput.nodesPerSecond).toBeGreaterThan(0);
    expect(stats.durations.node.count).toBe(3);
    expect(stats.durations.execution.count).toBe(2);
    for (const summary of [stats.durations.node, stats.durations.execution]) {
      expect(summary).toEqual({
        count: expect.any(Number),
        p50Ms: expect.any(Number),
        p95Ms: expect.any(Number),
        maxMs: expect.any(Number),
      });
      expect(summary.p50Ms).toBeLessThanOrEqual(summary.p95Ms);
      expect(summary.p95Ms).toBeLessThanOrEqual(summary.maxMs);
    }
    expect(stats.durations.node.maxMs).toBeGreaterThanOrEqual(20);
  });

  describe('metrics', () => {
    let text: string;
    let contentType: string | null;

    beforeAll(async () => {
      const res = await request(`${api}/metrics`);
      expect(res.status).toBe(200);
      text = res.text;
      contentType = res.headers.get('content-type');
    });

    it('is Prometheus text with the engine metrics and the process defaults', () => {
      expect(contentType).toMatch(/^text\/plain/);
      expect(text).toMatch(/^trellis_executions\{status="completed"\} 1$/m);
      expect(text).toMatch(/^trellis_executions\{status="failed"\} 1$/m);
      expect(text).toMatch(/^trellis_executions\{status="running"\} 0$/m);
      expect(text).toMatch(/^trellis_node_transitions_total\{to="completed"\} 2$/m);
      expect(text).toMatch(/^trellis_node_duration_seconds_bucket\{/m);
      expect(text).toMatch(/^trellis_scheduling_latency_seconds_bucket\{le="\+Inf"\} 3$/m);
      expect(text).toMatch(/^trellis_scheduling_latency_seconds_count 3$/m);
      expect(text).toMatch(/^trellis_queue_depth 0$/m);
      expect(text).toMatch(/^trellis_workers_busy 0$/m);
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);
      expect(text).toMatch(/^nodejs_heap_size_total_bytes /m);
    });

    it('labels node durations by type and status', () => {
      const buckets = text
        .split('\n')
        .filter((line) => line.startsWith('trellis_node_duration_seconds_bucket{'));

      expect(buckets.length).toBeGreaterThan(0);
      expect(buckets).toContainEqual(
        expect.stringMatching(
          /^trellis_node_duration_seconds_bucket\{(?=.*type="DELAY")(?=.*status="completed")(?=.*le="\+Inf").*\} 2$/,
        ),
      );
      expect(buckets).toContainEqual(
        expect.stringMatching(
          /^trellis_node_duration_seconds_bucket\{(?=.*type="VALIDATION")(?=.*status="failed")(?=.*le="\+Inf").*\} 1$/,
        ),
      );
    });
  });

  it('serves the OpenAPI UI at /docs and the document at /docs-json', async () => {
    const ui = await request(`${api}/docs`);
    const doc = await request(`${api}/docs-json`);

    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
    expect(ui.text).toMatch(/swagger/i);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/graphs',
        '/graphs/validate',
        '/graphs/{id}',
        '/graphs/{id}/executions',
        '/executions',
        '/executions/{id}',
        '/executions/{id}/events',
        '/executions/{id}/nodes/{nodeId}',
        '/executions/{id}/cancel',
        '/executions/{id}/retry',
        '/executions/{id}/nodes/{nodeId}/signal',
        '/health',
        '/stats',
        '/metrics',
      ]),
    );
  });

  describe('when the store stops answering', () => {
    const proxy = new CuttableProxy();
    const dbName = databaseName('operations_cut');
    let cutServer: TrellisServer;

    beforeAll(async () => {
      cutServer = await startServer({ MONGODB_URI: await proxy.listen(dbName) });
    }, 60_000);

    afterAll(async () => {
      await cutServer?.stop('SIGKILL');
      await proxy.close();
      await dropDatabase(databaseUri(dbName));
    }, 30_000);

    it('answers /health with 503 UNAVAILABLE, the store down', async () => {
      expect((await request(`${cutServer.url}/health`)).status).toBe(200);

      proxy.sever();
      const res = await request(`${cutServer.url}/health`);

      const body = expectError(res, 503, 'UNAVAILABLE');
      expect(JSON.stringify(body.details)).toMatch(/store/);
    }, 20_000);
  });
});
