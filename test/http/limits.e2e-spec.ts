import {
  databaseName,
  databaseUri,
  expectError,
  request,
  serverPerSuite,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('limits'));

/**
 * `layers` layers of `width` SYNCHRONIZATION nodes (the one built-in type without required
 * config, to keep the JSON small); each node depends on the node below it in the layer before,
 * and every tenth also on its neighbour there.
 */
function layeredGraph(layers: number, width: number) {
  const nodes: object[] = [];
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      const below = `n${(l - 1) * width + w}`;
      const neighbour = `n${(l - 1) * width + ((w + 1) % width)}`;
      const dependsOn = l === 0 ? undefined : w % 10 === 0 ? [below, neighbour] : [below];
      nodes.push({ id: `n${l * width + w}`, type: 'SYNCHRONIZATION', dependsOn });
    }
  }
  return { name: `layered-${layers}x${width}`, nodes };
}

/** A chain of `length` nodes, each depending on the one before; `closed` adds the edge back. */
function chain(length: number, closed: boolean) {
  const nodes = Array.from({ length }, (_, i) => ({
    id: `c${i}`,
    type: 'DELAY',
    config: { ms: 0 },
    dependsOn: i > 0 ? [`c${i - 1}`] : closed ? [`c${length - 1}`] : undefined,
  }));
  return { name: closed ? 'ring' : 'chain', nodes };
}

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`[limits] ${what}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

describe('HTTP limits', () => {
  const suite = serverPerSuite(mongoUri);
  let api: string;

  beforeAll(() => {
    api = suite.url;
  });

  it('validates a 100,000-node layered graph (about 6 MB of JSON) in one request', async () => {
    const body = JSON.stringify(layeredGraph(100, 1000));
    expect(body.length).toBeGreaterThan(4_000_000);
    expect(body.length).toBeLessThan(7_500_000);

    const res = await timed(`validate 100,000 nodes (${body.length} bytes)`, () =>
      request(`${api}/graphs/validate`, { body }),
    );

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true, nodeCount: 100_000, edgeCount: 99 * 1100 });
  }, 30_000);

  it('refuses a graph over the node limit with GRAPH_INVALID (GRAPH_TOO_LARGE)', async () => {
    const graph = layeredGraph(1, 100_001);

    const res = await timed('validate 100,001 nodes', () =>
      request(`${api}/graphs/validate`, { body: graph }),
    );

    const body = expectError(res, 400, 'GRAPH_INVALID');
    expect(body.details.map((d: { code: string }) => d.code)).toContain('GRAPH_TOO_LARGE');
  }, 30_000);

  it('finds a cycle through 10,000 nodes and lists it', async () => {
    const res = await timed('validate a 10,000-node ring', () =>
      request(`${api}/graphs/validate`, { body: chain(10_000, true) }),
    );

    expect(res.status).toBe(400);
    const cycles = res.body.details.filter((d: { code: string }) => d.code === 'CYCLE');
    expect(cycles).toHaveLength(1);
    const cycle: string[] = cycles[0].cycle;
    expect(cycle).toHaveLength(10_001);
    expect(cycle[0]).toBe(cycle[10_000]);
    expect(new Set(cycle).size).toBe(10_000);
  }, 30_000);

  it('answers a node with 200,000 unknown dependencies with the first 100 problems and the total', async () => {
    const dependsOn = Array.from({ length: 200_000 }, (_, i) => `ghost${i}`);
    const graph = { name: 'wide', nodes: [{ id: 'a', type: 'SYNCHRONIZATION', dependsOn }] };

    const res = await timed('validate one node with 200,000 unknown dependencies', () =>
      request(`${api}/graphs/validate`, { body: graph }),
    );

    const body = expectError(res, 400, 'GRAPH_INVALID');
    expect(body.message).toContain('200000 problems, the first 100 listed');
    expect(body.details).toHaveLength(101);
    expect(body.details[0]).toMatchObject({
      code: 'UNKNOWN_DEPENDENCY',
      path: 'nodes[0].dependsOn[0]',
    });
    expect(body.details[100]).toEqual({
      code: 'PROBLEMS_TRUNCATED',
      message: '199900 more problems not listed: 200000 in all, the first 100 above',
    });
    expect(res.text.length).toBeLessThan(100_000);
  }, 30_000);

  it('answers 100,000 nodes with one unknown dependency each with the first 100 problems and the total', async () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => ({
      id: `n${i}`,
      type: 'SYNCHRONIZATION',
      dependsOn: [`ghost${i}`],
    }));

    const res = await timed('validate 100,000 nodes with an unknown dependency each', () =>
      request(`${api}/graphs/validate`, { body: { name: 'lost', nodes } }),
    );

    const body = expectError(res, 400, 'GRAPH_INVALID');
    expect(body.details).toHaveLength(101);
    expect(body.details[100].message).toContain('100000 in all');
  }, 30_000);

  it('validates and stores a 10,000-deep chain', async () => {
    const graph = chain(10_000, false);

    const validated = await timed('validate a 10,000-deep chain', () =>
      request(`${api}/graphs/validate`, { body: graph }),
    );
    const stored = await timed('store a 10,000-deep chain', () =>
      request(`${api}/graphs`, { body: graph }),
    );

    expect(validated.status).toBe(200);
    expect(validated.body).toEqual({ valid: true, nodeCount: 10_000, edgeCount: 9_999 });
    expect(stored.status).toBe(201);
    expect(stored.body.nodeCount).toBe(10_000);
    // NOTE: a 6 MB definition read from a busy MongoDB-wire server may exceed the read timeout:
    // the server answers 503 with Retry-After, and a client tries again.
    let fetched = await request(`${api}/graphs/${stored.body.id}`);
    for (let i = 0; i < 5 && fetched.status === 503; i++) {
      await new Promise((r) =>
        setTimeout(r, 1000 * Number(fetched.headers.get('retry-after') ?? 1)),
      );
      fetched = await request(`${api}/graphs/${stored.body.id}`);
    }
    expect(fetched.status).toBe(200);
    expect(fetched.body.definition.nodes[9_999]).toEqual(graph.nodes[9_999]);
  }, 30_000);
});
