/**
 * A server whose store stops answering for OUTAGE_MS (default 30 s, longer than its lease) while
 * executions run, then comes back. Pins what a client sees: fast 503s with Retry-After while the
 * store is away (never a hang, never a 500), /health saying why, and every execution accepted
 * before the outage completing by itself afterwards.
 */
import { CuttableProxy } from '../fixtures/cuttable.proxy';
import {
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  TrellisServer,
  until,
} from '../fixtures/trellis-server';

const OUTAGE_MS = Number(process.env.TRELLIS_TEST_OUTAGE_MS ?? 30_000);
const LEASE_MS = 10_000;
const EXECUTIONS = 20;

jest.setTimeout(OUTAGE_MS + 150_000);

describe('a store that is away for longer than the lease', () => {
  const proxy = new CuttableProxy();
  const dbName = databaseName('outage');
  let server: TrellisServer;
  let graphId: string;
  const accepted: string[] = [];
  const during: { path: string; status: number; ms: number; retryAfter: string | null }[] = [];
  let healthDuring: any;

  beforeAll(async () => {
    server = await startServer({
      MONGODB_URI: await proxy.listen(dbName),
      TRELLIS_LEASE_MS: String(LEASE_MS),
      TRELLIS_STALL_CHECK_MS: '1000',
    });
    const steps = Array.from({ length: 6 }, (_, i) => ({
      id: `step-${i}`,
      type: 'DELAY',
      dependsOn: i === 0 ? [] : [`step-${i - 1}`],
      config: { ms: 1500 },
    }));
    graphId = (await request(`${server.url}/graphs`, { body: { name: 'outage', nodes: steps } }))
      .body.id;
    for (let i = 0; i < EXECUTIONS; i++) {
      const res = await request(`${server.url}/graphs/${graphId}/executions`, { body: {} });
      expect(res.status).toBe(201);
      accepted.push(res.body.id);
    }
    await new Promise((r) => setTimeout(r, 2000));

    proxy.sever();
    const cutAt = Date.now();
    while (Date.now() - cutAt < OUTAGE_MS) {
      for (const path of [
        `/graphs/${graphId}/executions`,
        `/executions/${accepted[0]}`,
        '/executions',
      ]) {
        const t0 = Date.now();
        const res = await request(
          `${server.url}${path}`,
          path.endsWith('/executions') && path.startsWith('/graphs') ? { body: {} } : {},
        );
        during.push({
          path,
          status: res.status,
          ms: Date.now() - t0,
          retryAfter: res.headers.get('retry-after'),
        });
      }
      healthDuring = await request(`${server.url}/health`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    proxy.restore();
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await proxy.close();
    await dropDatabase(databaseUri(dbName));
  });

  it('answers every request that needs the store with 503 and Retry-After within a second', () => {
    // NOTE: the first request after the cut may be the one that finds the store gone.
    const settled = during.slice(3);
    process.stdout.write(`[outage] ${during.map((a) => `${a.status}/${a.ms}ms`).join(' ')}\n`);
    expect(settled.length).toBeGreaterThan(3);
    for (const answer of settled) {
      expect(answer).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(answer.ms).toBeLessThan(1000);
    }
    const errors = server.logs().filter((l) => /(GET|POST) \S+ failed: /.test(l));
    expect({ fiveHundreds: during.filter((a) => a.status === 500).length, errors }).toEqual({
      fiveHundreds: 0,
      errors: [],
    });
  });

  it('says on /health that the store is down, and why', () => {
    expect(healthDuring.status).toBe(503);
    expect(JSON.stringify(healthDuring.body)).toMatch(/unreachable/);
  });

  it('completes every execution accepted before the outage once the store is back', async () => {
    // NOTE: one status read at a time: reads of executions this server let go of go to the store.
    const finals: string[] = [];
    for (const id of accepted) {
      finals.push(
        await until(
          async () => {
            const res = await request(`${server.url}/executions/${id}`);
            const ended = ['completed', 'failed', 'cancelled'].includes(res.body?.status);
            if (!ended) await new Promise((r) => setTimeout(r, 250));
            return res.status === 200 && ended ? (res.body.status as string) : undefined;
          },
          `execution ${id} to end`,
          120_000,
        ),
      );
    }
    expect(finals).toEqual(accepted.map(() => 'completed'));
    expect((await request(`${server.url}/health`)).status).toBe(200);
    // NOTE: a server still catching up may push back (503 OVERLOADED with Retry-After), as a
    // client is told to expect; it must accept again within a few such retries.
    const answers: string[] = [];
    let again = await request(`${server.url}/graphs/${graphId}/executions`, { body: {} });
    for (let i = 0; i < 10 && again.status === 503 && again.body?.code === 'OVERLOADED'; i++) {
      answers.push(`503 ${again.body.message}`);
      await new Promise((r) => setTimeout(r, 1000 * Number(again.headers.get('retry-after'))));
      again = await request(`${server.url}/graphs/${graphId}/executions`, { body: {} });
    }
    if (again.status !== 201) {
      const stats = await request(`${server.url}/stats`);
      console.log(`[outage] still refused; /stats ${JSON.stringify(stats.body)}`);
    }
    expect({ status: again.status, before: answers }).toEqual({
      status: 201,
      before: answers.slice(0, 3),
    });
  });
});
