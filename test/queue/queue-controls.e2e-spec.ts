/**
 * Queue controls a BullMQ user expects, observed at the service the nodes call: priorities
 * (1 runs first) and a pool's rate limit (`TRELLIS_WORKER_RATE_LIMIT`).
 */
import { waitForStatus } from '../fixtures/trellis-server';
import { QueuedSuite, startGraphExecution, watchPool } from '../fixtures/queue.fixture';
import { startWorker } from '../fixtures/trellis-worker';

jest.setTimeout(120_000);

describe('queue controls', () => {
  const suite = new QueuedSuite('qcontrols');

  const node = (id: string, pool: string, priority?: number) => ({
    id,
    type: 'SETUP',
    strategy: 'QUEUED',
    queue: priority === undefined ? { pool } : { pool, priority },
    config: { http: { url: `${suite.service.url}/work`, method: 'POST' } },
  });

  const run = (nodes: object[]) => startGraphExecution(suite.server.url, 'controls', nodes);

  async function queued(pool: string, n: number): Promise<void> {
    const figures = await watchPool(suite.server.url, pool, (p) => (p?.waiting ?? 0) >= n);
    if ((figures?.waiting ?? 0) < n) throw new Error(`fewer than ${n} jobs waiting in ${pool}`);
  }

  it('runs the jobs of priority 1 before those of priority 10', async () => {
    const nodes = [
      ...Array.from({ length: 5 }, (_, i) => node(`low${i}`, 'prio', 10)),
      ...Array.from({ length: 5 }, (_, i) => node(`high${i}`, 'prio', 1)),
    ];
    const id = await run(nodes);
    await queued('prio', 10);
    suite.workers.push(
      await startWorker({
        ...suite.env,
        TRELLIS_WORKER_POOL: 'prio',
        TRELLIS_WORKER_CONCURRENCY: '1',
      }),
    );
    expect(
      (await waitForStatus(suite.server.url, id, ['completed', 'failed'], 30_000)).status,
    ).toBe('completed');
    const order = suite.service.calls.filter((c) => c.executionId === id).map((c) => c.nodeId);
    expect(order.slice(0, 5).sort()).toEqual(['high0', 'high1', 'high2', 'high3', 'high4']);
    expect(order.slice(5).sort()).toEqual(['low0', 'low1', 'low2', 'low3', 'low4']);
  });

  it('starts at most the rate limit of a pool per window', async () => {
    const id = await run(Array.from({ length: 6 }, (_, i) => node(`r${i}`, 'rated')));
    await queued('rated', 6);
    suite.workers.push(
      await startWorker({
        ...suite.env,
        TRELLIS_WORKER_POOL: 'rated',
        TRELLIS_WORKER_CONCURRENCY: '10',
        TRELLIS_WORKER_RATE_LIMIT: '2/1000',
      }),
    );
    expect(
      (await waitForStatus(suite.server.url, id, ['completed', 'failed'], 30_000)).status,
    ).toBe('completed');
    const times = suite.service.calls
      .filter((c) => c.executionId === id)
      .map((c) => c.receivedAt)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(6);
    // NOTE: any three calls in a row span at least one window (2 per 1000 ms).
    for (let k = 2; k < times.length; k++)
      expect(times[k] - times[k - 2]).toBeGreaterThanOrEqual(900);
  });
});
