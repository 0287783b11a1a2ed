import {
  TrellisServer,
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  until,
  waitForStatus,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('shutdown'));
const INSTANCE = 'e2e-shutdown';

interface Transition {
  from: string;
  to: string;
  at: string;
  by: string;
  reason?: string;
  attempt?: number;
}

const atOf = (entry: Transition | undefined) => Date.parse(entry!.at);

describe('HTTP server: graceful shutdown and resume', () => {
  const servers: TrellisServer[] = [];

  async function start(env: Record<string, string> = {}): Promise<TrellisServer> {
    const server = await startServer({
      MONGODB_URI: mongoUri,
      TRELLIS_INSTANCE_ID: INSTANCE,
      ...env,
    });
    servers.push(server);
    return server;
  }

  async function node(api: string, executionId: string, nodeId: string) {
    const res = await request(`${api}/executions/${executionId}/nodes/${nodeId}`);
    expect(res.status).toBe(200);
    return res.body as { status: string; attempts: number; history: Transition[] };
  }

  /** Creates a two-node chain, starts it and resolves once `first` runs. */
  async function startChain(api: string, firstMs: number): Promise<string> {
    const graph = await request(`${api}/graphs`, {
      body: {
        name: `shutdown-${firstMs}`,
        nodes: [
          { id: 'first', type: 'DELAY', config: { ms: firstMs } },
          { id: 'second', type: 'DELAY', dependsOn: ['first'], config: { ms: 200 } },
        ],
      },
    });
    const execution = await request(`${api}/graphs/${graph.body.id}/executions`, { body: {} });
    expect(execution.status).toBe(201);
    await until(
      async () =>
        (await node(api, execution.body.id, 'first')).status === 'running' ? true : undefined,
      'the first node to run',
    );
    return execution.body.id;
  }

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop('SIGKILL');
  });

  afterAll(async () => {
    await dropDatabase(mongoUri);
  }, 30_000);

  it('lets the running node finish on SIGTERM, exits 0, and the next start resumes without re-running it', async () => {
    const first = await start({ TRELLIS_SHUTDOWN_GRACE_MS: '5000' });
    const executionId = await startChain(first.url, 1500);

    const sigtermAt = Date.now();
    const code = await first.stop('SIGTERM');
    const exitedAt = Date.now();

    console.log(`[shutdown] SIGTERM to exit: ${exitedAt - sigtermAt} ms (grace 5000 ms)`);
    expect(code).toBe(0);
    expect(first.logs().join('\n')).toMatch(/running nodes finished/);

    const second = await start({ TRELLIS_SHUTDOWN_GRACE_MS: '5000' });
    const done = await waitForStatus(second.url, executionId, ['completed', 'failed'], 15_000);

    expect(done.status).toBe('completed');
    const firstNode = await node(second.url, executionId, 'first');
    const secondNode = await node(second.url, executionId, 'second');
    expect(firstNode.attempts).toBe(1);
    expect(firstNode.history.map((h) => h.to)).toEqual(['ready', 'running', 'completed']);
    const completed = firstNode.history.find((h) => h.to === 'completed');
    expect(atOf(completed)).toBeGreaterThan(sigtermAt);
    expect(atOf(completed)).toBeLessThanOrEqual(exitedAt);
    expect(secondNode.status).toBe('completed');
    expect(secondNode.attempts).toBe(1);
    const secondRuns = secondNode.history.filter((h) => h.to === 'running');
    expect(secondRuns).toHaveLength(1);
    expect(atOf(secondRuns[0])).toBeGreaterThanOrEqual(exitedAt);
  }, 60_000);

  it('exits after the grace when a node runs longer, and the next start runs that node again as attempt 2', async () => {
    const first = await start({ TRELLIS_SHUTDOWN_GRACE_MS: '300' });
    const executionId = await startChain(first.url, 2500);

    const sigtermAt = Date.now();
    const code = await first.stop('SIGTERM');
    const exitedAt = Date.now();

    console.log(`[shutdown] SIGTERM to exit: ${exitedAt - sigtermAt} ms (grace 300 ms)`);
    expect(code).toBe(0);
    expect(exitedAt - sigtermAt).toBeLessThan(2000);

    const second = await start();
    const done = await waitForStatus(second.url, executionId, ['completed', 'failed'], 15_000);

    expect(done.status).toBe('completed');
    const firstNode = await node(second.url, executionId, 'first');
    expect(firstNode.status).toBe('completed');
    expect(firstNode.attempts).toBe(2);
    const runs = firstNode.history.filter((h) => h.to === 'running');
    expect(runs.map((h) => h.attempt)).toEqual([1, 2]);
    expect(atOf(runs[0])).toBeLessThan(sigtermAt);
    expect(atOf(runs[1])).toBeGreaterThanOrEqual(exitedAt);
    expect(firstNode.history.filter((h) => h.to === 'completed')).toHaveLength(1);
    expect((await node(second.url, executionId, 'second')).status).toBe('completed');
  }, 60_000);
});
