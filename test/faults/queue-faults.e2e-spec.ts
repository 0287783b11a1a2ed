/**
 * Faults on the QUEUED path, with real processes: the server (durable, FerretDB), worker
 * processes and a redis-server of this suite's own (so it can be killed and flushed). Nodes call
 * a local HTTP service that records every call and its fencing token, so each scenario counts
 * what a user would see: executions lost, attempts carried out twice, recorded outputs that do
 * not come from the last attempt started, attempts over the retry policy, and the recovery time.
 * (The journal cannot record a node completed twice: its state machine refuses it.)
 * Each scenario prints these figures and asserts them.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { startFerretDb, stopFerretDb } from '../../scripts/ferretdb.launcher';
import { startRedis, RedisServer } from '../../scripts/redis.launcher';
import { FencedService, startFencedService } from '../cluster/fenced-service.fixture';
import { Figures, figuresOf, MAX_ATTEMPTS, NOTHING_LOST } from './fault-figures';
import {
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  TrellisServer,
  waitForStatus,
} from '../fixtures/trellis-server';
import { postRetrying, startGraphExecution, watchPool } from '../fixtures/queue.fixture';
import { startWorker, TrellisWorker } from '../fixtures/trellis-worker';

jest.setTimeout(180_000);

describe('faults on the QUEUED path', () => {
  const uri = databaseUri(databaseName('qfaults'));
  let redis: RedisServer;
  let service: FencedService;
  let server: TrellisServer;
  const workers: TrellisWorker[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    service = await startFencedService(() => 200);
    env = { REDIS_URL: redis.url, TRELLIS_QUEUE_PREFIX: 'faults' };
    server = await startServer({ ...env, MONGODB_URI: uri, TRELLIS_STALL_CHECK_MS: '500' });
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), ...workers.map((w) => w.stop('SIGKILL'))]);
    await service?.close();
    await redis?.stop();
    await dropDatabase(uri);
  });

  /** A QUEUED node of `pool` that calls the service, with the suite's retry policy. */
  function callNode(id: string, pool: string, dependsOn: string[] = []): object {
    return {
      id,
      type: 'SETUP',
      strategy: 'QUEUED',
      queue: { pool },
      dependsOn,
      retry: { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 100 },
      config: { http: { url: `${service.url}/work`, method: 'POST' } },
    };
  }

  /** Stores a graph of `width` independent call nodes on `url` and starts it there. */
  const startGraph = (pool: string, width: number, url = server.url) =>
    startGraphExecution(
      url,
      pool,
      Array.from({ length: width }, (_, i) => callNode(`n${i}`, pool)),
    );

  async function untilCalls(id: string, n: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (service.calls.filter((c) => c.executionId === id).length < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} calls for ${id}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('SIGKILL of a worker with 200 QUEUED nodes in flight: the other worker finishes them', async () => {
    const pool = 'kill';
    const workerEnv = { ...env, TRELLIS_WORKER_POOL: pool, TRELLIS_WORKER_LOCK_MS: '2000' };
    const [victim, survivor] = await Promise.all([
      startWorker({ ...workerEnv, TRELLIS_WORKER_CONCURRENCY: '200' }),
      startWorker({ ...workerEnv, TRELLIS_WORKER_CONCURRENCY: '50' }),
    ]);
    workers.push(victim, survivor);
    const id = await startGraph(pool, 200);
    await untilCalls(id, 100);
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const done = await waitForStatus(server.url, id, ['completed', 'failed'], 120_000);
    const figures = figuresOf('worker SIGKILL', done, service, Date.now() - killedAt);
    expect(figures).toMatchObject(NOTHING_LOST);
    expect(done.nodes.filter((n: any) => n.attempts > 1).length).toBeGreaterThan(0);
  });

  it('Redis flushed with 100 nodes queued: the engine queues them again; each runs once', async () => {
    const pool = 'flush';
    const id = await startGraph(pool, 100);
    const queued = await watchPool(server.url, pool, (p) => (p?.waiting ?? 0) >= 100);
    expect(queued?.waiting ?? 0).toBe(100);
    const flushedAt = Date.now();
    const client = new IORedis(redis.url);
    await client.flushall();
    await client.quit();
    workers.push(
      await startWorker({ ...env, TRELLIS_WORKER_POOL: pool, TRELLIS_WORKER_CONCURRENCY: '50' }),
    );
    const done = await waitForStatus(server.url, id, ['completed', 'failed'], 60_000);
    const figures = figuresOf('Redis FLUSHALL', done, service, Date.now() - flushedAt);
    expect(figures).toMatchObject(NOTHING_LOST);
    expect(service.calls.filter((c) => c.executionId === id)).toHaveLength(100);
    const stats = await request(`${server.url}/stats`);
    expect(stats.body.queue.reAdded).toBeGreaterThanOrEqual(100);
  });

  it('Redis restarted (no persistence) with nodes queued and running: nothing lost', async () => {
    const pool = 'restart';
    workers.push(
      await startWorker({
        ...env,
        TRELLIS_WORKER_POOL: pool,
        TRELLIS_WORKER_CONCURRENCY: '20',
        TRELLIS_WORKER_LOCK_MS: '2000',
      }),
    );
    const id = await startGraph(pool, 100);
    await untilCalls(id, 20);
    const stoppedAt = Date.now();
    await redis.stop({ keepDir: true, signal: 'SIGKILL' });
    await new Promise((r) => setTimeout(r, 1000));
    redis = await startRedis({ port: redis.port, dir: redis.dir });
    const done = await waitForStatus(server.url, id, ['completed', 'failed'], 120_000);
    const figures = figuresOf('Redis restart', done, service, Date.now() - stoppedAt);
    expect(figures).toMatchObject({ lost: 0, staleResultsRecorded: 0, attemptsOverPolicy: 0 });
    // NOTE: an attempt running when Redis died loses its result with it and is queued again
    // under its own token: at-least-once, at most the 20 that were running.
    expect(figures.reruns).toBeLessThanOrEqual(20);
  });

  it('SIGKILL of an engine while its nodes run on workers: another engine takes over', async () => {
    const pool = 'enginekill';
    workers.push(
      await startWorker({
        ...env,
        TRELLIS_WORKER_POOL: pool,
        TRELLIS_WORKER_CONCURRENCY: '50',
      }),
    );
    const lease = { TRELLIS_LEASE_MS: '2000', TRELLIS_STALL_CHECK_MS: '500' };
    const doomed = await startServer({
      ...env,
      ...lease,
      MONGODB_URI: uri,
      TRELLIS_INSTANCE_ID: 'doomed',
    });
    const id = await startGraph(pool, 50, doomed.url);
    await untilCalls(id, 20);
    const killedAt = Date.now();
    await doomed.stop('SIGKILL');
    const heir = await startServer({
      ...env,
      ...lease,
      MONGODB_URI: uri,
      TRELLIS_INSTANCE_ID: 'heir',
    });
    try {
      const done = await waitForStatus(heir.url, id, ['completed', 'failed'], 60_000);
      const figures = figuresOf('engine SIGKILL', done, service, Date.now() - killedAt);
      expect(figures).toMatchObject(NOTHING_LOST);
      // NOTE: the attempts running on the worker went on: the heir waited for their results
      // instead of starting them again.
      expect(done.nodes.map((n: any) => n.attempts)).toEqual(Array.from({ length: 50 }, () => 1));
      expect(service.calls.filter((c) => c.executionId === id)).toHaveLength(50);
    } finally {
      await heir.stop();
    }
  });

  it('SIGSTOP of a worker past its lock, then SIGCONT: its attempts go to the retry policy, its late results are not recorded', async () => {
    const pool = 'stop';
    // A slower service, so the stopped worker holds attempts in flight.
    const slow = await startFencedService(() => 1500);
    const workerEnv = { ...env, TRELLIS_WORKER_POOL: pool, TRELLIS_WORKER_LOCK_MS: '2000' };
    const [victim, survivor] = await Promise.all([
      startWorker({ ...workerEnv, TRELLIS_WORKER_CONCURRENCY: '40' }),
      startWorker({ ...workerEnv, TRELLIS_WORKER_CONCURRENCY: '40' }),
    ]);
    workers.push(victim, survivor);
    try {
      const before = (await request(`${server.url}/stats`)).body.queue;
      const id = await startGraphExecution(
        server.url,
        pool,
        Array.from({ length: 80 }, (_, i) => ({
          ...(callNode(`n${i}`, pool) as any),
          config: { http: { url: `${slow.url}/work`, method: 'POST' } },
        })),
      );
      const deadline = Date.now() + 30_000;
      while (slow.calls.filter((c) => c.executionId === id).length < 60) {
        if (Date.now() > deadline) throw new Error('the workers did not take the attempts');
        await new Promise((r) => setTimeout(r, 20));
      }
      const stoppedAt = Date.now();
      victim.process.kill('SIGSTOP');
      // Stopped for three lock periods: BullMQ's stalled check gives its jobs back.
      await new Promise((r) => setTimeout(r, 6000));
      victim.process.kill('SIGCONT');
      const done = await waitForStatus(server.url, id, ['completed', 'failed'], 120_000);
      const figures = figuresOf('worker SIGSTOP past its lock', done, slow, Date.now() - stoppedAt);
      expect(figures).toMatchObject(NOTHING_LOST);
      // The stopped worker's attempts were retried elsewhere under new tokens...
      expect(done.nodes.filter((n: any) => n.attempts > 1).length).toBeGreaterThan(0);
      // ...and what it finished after SIGCONT was not recorded: each recorded output is the
      // last attempt's (checked above). BullMQ refuses to complete a job whose lock it lost, so
      // the late results rarely reach the engine; those that do are refused there as stale.
      const after = (await request(`${server.url}/stats`)).body.queue;
      console.log(
        `[faults] SIGSTOP: ${JSON.stringify({ staleResultsRefused: after.staleResults - before.staleResults, retried: done.nodes.filter((n: any) => n.attempts > 1).length })}`,
      );
    } finally {
      await slow.close();
    }
  });

  it('FerretDB restarted under load: the run waits for its store and loses nothing', async () => {
    const pool = 'ferret';
    const root = join(__dirname, '..', '..');
    const own = await startFerretDb(root, { backend: 'sqlite', dataDirPrefix: 'trellis-qf-' });
    const port = new URL(own.uri).port;
    const ownUri = `${own.uri}qfaults_restart`;
    workers.push(
      await startWorker({ ...env, TRELLIS_WORKER_POOL: pool, TRELLIS_WORKER_CONCURRENCY: '20' }),
    );
    const engine = await startServer({
      ...env,
      MONGODB_URI: ownUri,
      TRELLIS_STALL_CHECK_MS: '500',
    });
    try {
      const id = await startGraph(pool, 100, engine.url);
      await untilCalls(id, 30);
      const killedAt = Date.now();
      process.kill(own.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 2000));
      execFileSync('bash', [join(root, 'scripts', 'ferretdb.sh'), 'start', port, own.dataDir], {
        stdio: 'ignore',
      });
      const done = await waitForStatus(engine.url, id, ['completed', 'failed'], 120_000);
      const figures = figuresOf('FerretDB restart', done, service, Date.now() - killedAt);
      expect(figures).toMatchObject(NOTHING_LOST);
    } finally {
      await engine.stop();
      stopFerretDb(root, own.dataDir);
    }
  });

  it('3 engines + 3 workers, 100 executions of 50 nodes, one engine and one worker killed', async () => {
    const pool = 'cluster';
    const lease = { TRELLIS_LEASE_MS: '2000', TRELLIS_STALL_CHECK_MS: '500' };
    const workerEnv = {
      ...env,
      TRELLIS_WORKER_POOL: pool,
      TRELLIS_WORKER_CONCURRENCY: '50',
      TRELLIS_WORKER_LOCK_MS: '2000',
    };
    const [engines, pool3] = await Promise.all([
      Promise.all(
        ['e1', 'e2', 'e3'].map((name) =>
          startServer({ ...env, ...lease, MONGODB_URI: uri, TRELLIS_INSTANCE_ID: name }),
        ),
      ),
      Promise.all([1, 2, 3].map(() => startWorker(workerEnv))),
    ]);
    workers.push(...pool3);
    try {
      const nodes: object[] = [];
      for (let level = 0; level < 5; level++) {
        for (let k = 0; k < 10; k++) {
          const parents =
            level === 0 ? [] : [`l${level - 1}-${k}`, `l${level - 1}-${(k + 1) % 10}`];
          nodes.push(callNode(`l${level}-${k}`, pool, parents));
        }
      }
      const graph = await postRetrying(`${engines[0].url}/graphs`, { name: pool, nodes });
      expect(graph.status).toBe(201);
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await postRetrying(
          `${engines[i % 3].url}/graphs/${graph.body.id}/executions`,
          {},
        );
        expect(res.status).toBe(201);
        ids.push(res.body.id as string);
      }
      const total = () => service.calls.filter((c) => ids.includes(c.executionId)).length;
      const deadline = Date.now() + 60_000;
      while (total() < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const killedAt = Date.now();
      await Promise.all([engines[1].stop('SIGKILL'), pool3[0].stop('SIGKILL')]);
      const survivors = [engines[0], engines[2]];
      const finals = [];
      for (const [i, id] of ids.entries()) {
        const url = survivors[i % 2].url;
        try {
          finals.push(await waitForStatus(url, id, ['completed', 'failed', 'cancelled'], 120_000));
        } catch (error) {
          const state = (await request(`${url}/executions/${id}`)).body;
          const open = state.nodes.filter((n: any) => n.status !== 'completed');
          const stats = await Promise.all(
            survivors.map(async (e) => (await request(`${e.url}/stats`)).body),
          );
          const { Queue } = await import('bullmq');
          const q = new Queue(pool, { connection: { url: redis.url }, prefix: 'faults' });
          const jobs = await Promise.all(
            open
              .filter((n: any) => n.status === 'running')
              .map(
                async (n: any) => `${n.nodeId}:${await q.getJobState(`${id}.${n.fencingToken}`)}`,
              ),
          );
          await q.close();
          const { MongoClient } = await import('mongodb');
          const client = await MongoClient.connect(uri);
          const db = client.db();
          const names = (await db.listCollections().toArray()).map((c) => c.name);
          const pages = [];
          for (const name of names.filter((n) => n.startsWith('trellis_journal_'))) {
            pages.push(
              ...(await db
                .collection(name)
                .find({ executionId: id }, { projection: { page: 1, writer: 1, at: 1 } })
                .toArray()),
            );
          }
          pages.sort((a: any, b: any) => a.page - b.page);
          const leases = await db.collection('trellis_leases').find().toArray();
          console.log(
            `[faults] pages ${JSON.stringify(pages.slice(-6).map((p: any) => [p.page, p.writer, p.at]))} leases ${JSON.stringify(leases.map((l: any) => [l._id, l.active.includes(id), l.renewedAt]))}`,
          );
          await client.close();
          for (const e of survivors) {
            const lines = e
              .logs()
              .filter((l) => /looks stopped|Recovery|Cannot claim|Letting go|lease/i.test(l));
            console.log(`[faults] log of a survivor:\n${lines.slice(-12).join('\n')}`);
          }
          console.log(
            `[faults] stuck ${id}: ${JSON.stringify(open.slice(0, 5))} jobs ${jobs.join(' ')} stats ${JSON.stringify(stats.map((x) => [x.queue, x.workers]))}`,
          );
          throw error;
        }
      }
      const recoveryMs = Date.now() - killedAt;
      const all = finals.map((f) =>
        figuresOf(`cluster ${f.id}`, f, service, recoveryMs, { print: false }),
      );
      const sum = (k: keyof Figures) => all.reduce((n, f) => n + (f[k] as number), 0);
      const figures = {
        scenario: '3 engines + 3 workers, one of each killed',
        executions: ids.length,
        lost: sum('lost'),
        staleResultsRecorded: sum('staleResultsRecorded'),
        attemptsOverPolicy: sum('attemptsOverPolicy'),
        reruns: sum('reruns'),
        recoveryMs,
      };
      console.log(`[faults] ${JSON.stringify(figures)}`);
      const bad = finals.find((f) => f.status !== 'completed');
      if (bad) {
        const errors = bad.nodes
          .filter((n: any) => n.error)
          .map((n: any) => [n.nodeId, n.status, n.attempts, n.error]);
        console.log(
          `[faults] e.g. ${bad.id} ${bad.status}: ${JSON.stringify(bad.error)} ${JSON.stringify(errors.slice(0, 5))}`,
        );
      }
      expect(figures).toMatchObject({ lost: 0, staleResultsRecorded: 0, attemptsOverPolicy: 0 });
    } finally {
      await Promise.all(engines.map((e) => e.stop()));
    }
  }, 300_000);
});
