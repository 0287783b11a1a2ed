import {
  databaseName,
  databaseUri,
  expectError,
  ISO_MS,
  request,
  serverPerSuite,
  waitForStatus,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('graphs'));

const pipeline = {
  name: 'graph-e2e',
  input: { region: 'eu' },
  metadata: { owner: 'e2e', tags: ['http'] },
  nodes: [
    { id: 'prepare', type: 'DELAY', config: { ms: 0 } },
    {
      id: 'check',
      type: 'VALIDATION',
      dependsOn: ['prepare'],
      retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 10 },
      config: { rules: [{ path: 'input.region', operator: 'in', value: ['eu', 'us'] }] },
    },
    {
      id: 'report',
      type: 'NOTIFICATION',
      dependsOn: ['check'],
      config: { channel: 'log', template: 'region {{ input.region }}' },
    },
  ],
};

function delayGraph(name: string, ms: number) {
  return { name, nodes: [{ id: 'wait', type: 'DELAY', config: { ms } }] };
}

describe('HTTP graphs', () => {
  const suite = serverPerSuite(mongoUri);
  let api: string;

  beforeAll(() => {
    api = suite.url;
  });

  it('stores a graph: 201 with id, name, nodeCount and createdAt', async () => {
    const before = Date.now();
    const res = await request(`${api}/graphs`, { body: pipeline });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'graph-e2e',
      nodeCount: 3,
      createdAt: expect.stringMatching(ISO_MS),
    });
    expect(Date.parse(res.body.createdAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('returns the stored definition unchanged from GET /graphs/:id', async () => {
    const created = await request(`${api}/graphs`, { body: pipeline });

    const res = await request(`${api}/graphs/${created.body.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, definition: pipeline });
  });

  it('refuses an invalid graph with 400 GRAPH_INVALID listing every problem', async () => {
    const res = await request(`${api}/graphs`, {
      body: {
        name: 'broken',
        nodes: [
          { id: 'a', type: 'DELAY', dependsOn: ['c'], config: { ms: 0 } },
          { id: 'b', type: 'DELAY', dependsOn: ['a', 'ghost'], config: { ms: 0 } },
          { id: 'c', type: 'DELAY', dependsOn: ['b'], config: { ms: 0 } },
          { id: 'd', type: 'NO_SUCH_TYPE' },
        ],
      },
    });

    const body = expectError(res, 400, 'GRAPH_INVALID');
    const codes = body.details.map((d: { code: string }) => d.code);
    expect(codes).toEqual(
      expect.arrayContaining(['UNKNOWN_DEPENDENCY', 'CYCLE', 'UNKNOWN_NODE_TYPE']),
    );
    const cycle = body.details.find((d: { code: string }) => d.code === 'CYCLE');
    expect(cycle.cycle).toHaveLength(4);
    expect(cycle.cycle[0]).toBe(cycle.cycle[3]);
    expect([...cycle.cycle].sort()).toEqual(['a', 'a', 'b', 'c'].sort());
    expect(cycle.cycle).toContain(cycle.nodeId);
    expect(cycle.path).toBe(`nodes[${['a', 'b', 'c'].indexOf(cycle.nodeId)}].dependsOn`);
    // docs/HTTP-API.md: an unknown dependency's path names the entry, e.g. nodes[3].dependsOn[0]
    expect(body.details.find((d: { code: string }) => d.code === 'UNKNOWN_DEPENDENCY')).toEqual(
      expect.objectContaining({
        path: 'nodes[1].dependsOn[1]',
        nodeId: 'b',
        message: expect.stringContaining('ghost'),
      }),
    );
  });

  it('refuses a graph whose only problem is a cycle with 400 GRAPH_CYCLE and the cycle path', async () => {
    const res = await request(`${api}/graphs`, {
      body: {
        name: 'cyclic',
        nodes: [
          { id: 'a', type: 'DELAY', dependsOn: ['c'], config: { ms: 0 } },
          { id: 'b', type: 'DELAY', dependsOn: ['a'], config: { ms: 0 } },
          { id: 'c', type: 'DELAY', dependsOn: ['b'], config: { ms: 0 } },
        ],
      },
    });

    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({ code: 'CYCLE', cycle: expect.any(Array) }),
    ]);
    expect(res.body.details[0].cycle).toHaveLength(4);
    expectError(res, 400, 'GRAPH_CYCLE');
  });

  it('validates without storing: 200 valid with counts, 400 GRAPH_INVALID for a broken graph', async () => {
    const listBefore = await request(`${api}/graphs?limit=100`);

    const valid = await request(`${api}/graphs/validate`, { body: pipeline });
    const invalid = await request(`${api}/graphs/validate`, {
      body: {
        name: 'x',
        nodes: [{ id: 'a', type: 'DELAY', dependsOn: ['nope'], config: { ms: 0 } }],
      },
    });

    expect(valid.status).toBe(200);
    expect(valid.body).toEqual({ valid: true, nodeCount: 3, edgeCount: 2 });
    const body = expectError(invalid, 400, 'GRAPH_INVALID');
    expect(body.details).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_DEPENDENCY', nodeId: 'a' }),
    ]);
    const listAfter = await request(`${api}/graphs?limit=100`);
    expect(listAfter.body.items).toEqual(listBefore.body.items);
  });

  it('pages through graphs newest first with a cursor: pages disjoint and complete', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(`${api}/graphs`, { body: delayGraph(`page-${i}`, 0) });
      expect(res.status).toBe(201);
      created.push(res.body.id);
    }

    const pages: { id: string; name: string }[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const res = await request(`${api}/graphs?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      pages.push(res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 50);

    const walked = pages.flat();
    const all = await request(`${api}/graphs?limit=100`);
    expect(walked.map((g) => g.id)).toEqual(all.body.items.map((g: { id: string }) => g.id));
    expect(new Set(walked.map((g) => g.id)).size).toBe(walked.length);
    expect(walked.slice(0, 5).map((g) => g.id)).toEqual([...created].reverse());
    expect(pages[0]).toEqual([
      { id: created[4], name: 'page-4', nodeCount: 1, createdAt: expect.stringMatching(ISO_MS) },
      { id: created[3], name: 'page-3', nodeCount: 1, createdAt: expect.stringMatching(ISO_MS) },
    ]);
    expect(all.body.nextCursor).toBeNull();
  });

  it('refuses a page size outside 1..100 with 400 VALIDATION_FAILED naming limit', async () => {
    const res = await request(`${api}/graphs?limit=101`);

    const body = expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.details.map((d: { path: string }) => d.path)).toContain('limit');
  });

  it('answers 404 GRAPH_NOT_FOUND for an unknown graph and 400 INVALID_ID for a malformed id', async () => {
    const unknown = '0123456789abcdef01234567';

    expectError(await request(`${api}/graphs/${unknown}`), 404, 'GRAPH_NOT_FOUND');
    expectError(
      await request(`${api}/graphs/${unknown}`, { method: 'DELETE' }),
      404,
      'GRAPH_NOT_FOUND',
    );
    expectError(
      await request(`${api}/graphs/${unknown}/executions`, { body: {} }),
      404,
      'GRAPH_NOT_FOUND',
    );
    expectError(await request(`${api}/graphs/not-an-id`), 400, 'INVALID_ID');
    expectError(await request(`${api}/graphs/0123456789ABCDEF0123456Z`), 400, 'INVALID_ID');
  });

  it('deletes a graph: 204, then 404', async () => {
    const created = await request(`${api}/graphs`, { body: delayGraph('doomed', 0) });

    const deleted = await request(`${api}/graphs/${created.body.id}`, { method: 'DELETE' });

    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectError(await request(`${api}/graphs/${created.body.id}`), 404, 'GRAPH_NOT_FOUND');
  });

  it('refuses to delete a graph while an execution of it runs: 409 INVALID_STATE, state running', async () => {
    const graph = await request(`${api}/graphs`, { body: delayGraph('busy', 30_000) });
    const execution = await request(`${api}/graphs/${graph.body.id}/executions`, { body: {} });
    expect(execution.status).toBe(201);

    const refused = await request(`${api}/graphs/${graph.body.id}`, { method: 'DELETE' });

    const body = expectError(refused, 409, 'INVALID_STATE');
    expect(body.state).toBe('running');
    expect((await request(`${api}/graphs/${graph.body.id}`)).status).toBe(200);

    await request(`${api}/executions/${execution.body.id}/cancel`, { body: {} });
    await waitForStatus(api, execution.body.id, ['cancelled']);
    const deleted = await request(`${api}/graphs/${graph.body.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
  });
});
