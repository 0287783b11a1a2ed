/**
 * One server, no faults, an execution running far longer than two lease periods: every node's
 * handler is called exactly once (the old stall sweep re-ran an instance's own live executions).
 */
import {
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  TrellisServer,
  until,
} from '../fixtures/trellis-server';
import { FencedService, startFencedService } from './fenced-service.fixture';

const LEASE_MS = 1000;
const CHAIN = 8;
const WIDTH = 6;

jest.setTimeout(120_000);

describe('one engine, an execution running past two lease periods', () => {
  const uri = databaseUri(databaseName('single'));
  let service: FencedService;
  let server: TrellisServer;
  let results: any[];

  beforeAll(async () => {
    service = await startFencedService(() => 300);
    server = await startServer({
      MONGODB_URI: uri,
      TRELLIS_LEASE_MS: String(LEASE_MS),
      TRELLIS_STALL_CHECK_MS: '200',
    });
    const call = (id: string, deps: string[]) => ({
      id,
      type: 'SETUP',
      dependsOn: deps,
      config: { http: { url: `${service.url}/work`, method: 'POST' } },
    });
    const nodes: object[] = [];
    let previous: string[] = [];
    for (let level = 0; level < CHAIN; level++) {
      const ids = Array.from({ length: WIDTH }, (_, i) => `l${level}-${i}`);
      ids.forEach((id) => nodes.push(call(id, previous)));
      previous = ids;
    }
    const graph = await request(`${server.url}/graphs`, { body: { name: 'long', nodes } });
    const ids = await Promise.all(
      [0, 1, 2].map(
        async () =>
          (await request(`${server.url}/graphs/${graph.body.id}/executions`, { body: {} })).body
            .id as string,
      ),
    );
    results = await Promise.all(
      ids.map((id) =>
        until(
          async () => {
            const res = await request(`${server.url}/executions/${id}`);
            return res.body.status === 'completed' ? res.body : undefined;
          },
          `execution ${id}`,
          60_000,
        ),
      ),
    );
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await service?.close();
    await dropDatabase(uri);
  });

  it('calls each handler exactly once per attempt', () => {
    const nodes = results.length * CHAIN * WIDTH;
    expect(service.calls).toHaveLength(nodes);
    for (const result of results) {
      for (const node of result.nodes) expect(node.attempts).toBe(1);
    }
    const keys = new Set(service.calls.map((c) => `${c.executionId}/${c.nodeId}`));
    expect(keys.size).toBe(nodes);
  });

  it('ran longer than two lease periods', () => {
    const first = Math.min(...service.calls.map((c) => c.receivedAt));
    const last = Math.max(...service.calls.map((c) => c.answeredAt!));
    expect(last - first).toBeGreaterThan(2 * LEASE_MS);
  });
});
