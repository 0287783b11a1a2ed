/**
 * Engines and workers on separate hosts: each host is a network namespace on this machine
 * (root and `ip netns`; see test/fixtures/network-hosts.ts) that reaches the store, Redis and
 * the service its nodes call only through the bridge. One host, with an engine and a worker, is
 * cut off for four lease periods while it owns running executions, then reconnected. The other
 * host must take its executions over and finish them; the cut engine must record nothing more
 * for them (its journal inserts are fenced) and rejoin cleanly: healthy, running new work.
 */
import { MongoClient } from 'mongodb';
import { startRedis, RedisServer } from '../../scripts/redis.launcher';
import { FencedService, startFencedService } from '../cluster/fenced-service.fixture';
import {
  canMakeNetworkHosts,
  HOST_ADDRESS,
  makeNetworkHosts,
  NetworkHosts,
} from '../fixtures/network-hosts';
import {
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  TrellisServer,
} from '../fixtures/trellis-server';
import { postRetrying } from '../fixtures/queue.fixture';
import { startWorker, TrellisWorker } from '../fixtures/trellis-worker';
import { figuresOf, MAX_ATTEMPTS, NOTHING_LOST } from './fault-figures';

jest.setTimeout(240_000);

const KEY = 'netns-faults-key-0123456789';
const auth = { authorization: `Bearer ${KEY}` };
const LEASE_MS = 2000;
const POOL = 'netns';

describe('a host cut off from the store and Redis for longer than the lease', () => {
  const dbName = databaseName('netns');
  let net: NetworkHosts;
  let redis: RedisServer;
  let service: FencedService;
  const servers: TrellisServer[] = [];
  const workers: TrellisWorker[] = [];

  beforeAll(() => {
    if (!canMakeNetworkHosts()) {
      throw new Error(
        'this scenario needs root and `ip netns` (without them jest.config.js leaves it out)',
      );
    }
  });

  afterAll(async () => {
    await Promise.all([
      ...servers.map((s) => s.stop('SIGKILL')),
      ...workers.map((w) => w.stop('SIGKILL')),
    ]);
    await service?.close();
    await net?.close();
    await redis?.stop();
    await dropDatabase(databaseUri(dbName));
  });

  const post = (url: string, body: object) => postRetrying(url, body, auth);

  async function waitDone(url: string, id: string, timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await request(`${url}/executions/${id}`, { headers: auth }).catch(() => null);
      if (res?.status === 200 && ['completed', 'failed', 'cancelled'].includes(res.body.status)) {
        return res.body;
      }
      if (Date.now() > deadline) throw new Error(`${id} did not end: ${res?.body?.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('the other host takes over; the cut engine records nothing more and rejoins', async () => {
    net = makeNetworkHosts(['tr-h1', 'tr-h2']);
    const [h1, h2] = net.hosts;
    redis = await startRedis();
    const mongoPort = await net.forward(Number(new URL(process.env.MONGODB_URI!).port));
    const redisPort = await net.forward(redis.port);
    service = await startFencedService(() => 100, HOST_ADDRESS);
    const env = {
      MONGODB_URI: `mongodb://${HOST_ADDRESS}:${mongoPort}/${dbName}`,
      REDIS_URL: `redis://${HOST_ADDRESS}:${redisPort}`,
      TRELLIS_QUEUE_PREFIX: POOL,
      TRELLIS_API_KEYS: KEY,
      TRELLIS_LEASE_MS: String(LEASE_MS),
      TRELLIS_STALL_CHECK_MS: '500',
    };
    const workerEnv = {
      REDIS_URL: env.REDIS_URL,
      TRELLIS_QUEUE_PREFIX: POOL,
      TRELLIS_WORKER_POOL: POOL,
      TRELLIS_WORKER_CONCURRENCY: '20',
      TRELLIS_WORKER_LOCK_MS: String(LEASE_MS),
    };
    const [e1, e2, w1, w2] = await Promise.all([
      startServer({ ...env, HOST: h1.address, TRELLIS_INSTANCE_ID: 'h1' }, 30_000, h1.exec),
      startServer({ ...env, HOST: h2.address, TRELLIS_INSTANCE_ID: 'h2' }, 30_000, h2.exec),
      startWorker(workerEnv, 30_000, h1.exec),
      startWorker(workerEnv, 30_000, h2.exec),
    ]);
    servers.push(e1, e2);
    workers.push(w1, w2);

    const nodes: object[] = [];
    for (let level = 0; level < 5; level++) {
      for (let k = 0; k < 6; k++) {
        nodes.push({
          id: `l${level}-${k}`,
          type: 'SETUP',
          dependsOn: level === 0 ? [] : [`l${level - 1}-${k}`, `l${level - 1}-${(k + 1) % 6}`],
          retry: { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 100 },
          config: { http: { url: `${service.url}/work`, method: 'POST' } },
        });
      }
    }
    const graph = await post(`${e1.url}/graphs`, {
      name: POOL,
      defaults: { strategy: 'QUEUED', queue: { pool: POOL } },
      nodes,
    });
    expect(graph.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await post(`${e1.url}/graphs/${graph.body.id}/executions`, {});
      expect([res.status, res.body]).toEqual([201, expect.anything()]);
      ids.push(res.body.id as string);
    }
    const deadline = Date.now() + 60_000;
    while (service.calls.length < 100 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }

    const cutAt = Date.now();
    h1.cut();
    await new Promise((r) => setTimeout(r, 4 * LEASE_MS));
    h1.reconnect();
    const reconnectedAt = Date.now();

    const finals = [];
    for (const id of ids) finals.push(await waitDone(e2.url, id, 120_000));
    const recoveryMs = Date.now() - cutAt;
    const all = finals.map((f) =>
      figuresOf(`netns ${f.id}`, f, service, recoveryMs, { print: false }),
    );
    const sum = (k: 'lost' | 'reruns' | 'staleResultsRecorded' | 'attemptsOverPolicy') =>
      all.reduce((n, f) => n + f[k], 0);

    // What the cut engine wrote after the cut, for the executions it owned then.
    const client = await MongoClient.connect(databaseUri(dbName));
    const db = client.db();
    const journals = (await db.listCollections().toArray())
      .map((c) => c.name)
      .filter((n) => n.startsWith('trellis_journal_'));
    let lateH1Pages = 0;
    let h1Pages = 0;
    let h2PagesDuringCut = 0;
    for (const name of journals) {
      const pages = await db
        .collection(name)
        .find({ executionId: { $in: ids } }, { projection: { writer: 1, at: 1 } })
        .toArray();
      for (const page of pages) {
        const at = new Date(page.at as string | Date).getTime();
        if (String(page.writer).startsWith('h2#') && at > cutAt && at < reconnectedAt) {
          h2PagesDuringCut++;
        }
        if (!String(page.writer).startsWith('h1#')) continue;
        h1Pages++;
        if (at > reconnectedAt) lateH1Pages++;
      }
    }
    await client.close();

    // The cut engine rejoins: healthy again, it runs a new execution to its end.
    let health = await request(`${e1.url}/health`).catch(() => null);
    const healthDeadline = Date.now() + 30_000;
    while (health?.status !== 200 && Date.now() < healthDeadline) {
      await new Promise((r) => setTimeout(r, 200));
      health = await request(`${e1.url}/health`).catch(() => null);
    }
    const again = await post(`${e1.url}/graphs/${graph.body.id}/executions`, {});
    expect(again.status).toBe(201);
    const rejoined = await waitDone(e1.url, again.body.id as string, 60_000);

    const figures = {
      scenario: 'one host cut off for 4 leases, then reconnected',
      executions: ids.length,
      lost: sum('lost'),
      reruns: sum('reruns'),
      staleResultsRecorded: sum('staleResultsRecorded'),
      attemptsOverPolicy: sum('attemptsOverPolicy'),
      retriedNodes: finals.reduce(
        (n, f) => n + f.nodes.filter((x: any) => x.attempts > 1).length,
        0,
      ),
      pagesByCutEngine: h1Pages,
      pagesByOtherEngineDuringCut: h2PagesDuringCut,
      pagesByCutEngineAfterReconnect: lateH1Pages,
      recoveryMs,
      rejoined: rejoined.status,
    };
    console.log(`[faults] ${JSON.stringify(figures)}`);
    expect(figures).toMatchObject({
      ...NOTHING_LOST,
      pagesByCutEngineAfterReconnect: 0,
      rejoined: 'completed',
    });
    // The cut engine owned them first; the other one took them over while it was cut off.
    expect(h1Pages).toBeGreaterThan(0);
    expect(h2PagesDuringCut).toBeGreaterThan(0);
  });
});
