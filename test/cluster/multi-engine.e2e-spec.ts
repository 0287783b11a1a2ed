/**
 * Three server processes on one database (the suite's FerretDB): executions are submitted round
 * robin, nodes call a local HTTP service that honours fencing tokens, one server is killed
 * (SIGKILL) and one stopped (SIGSTOP) past its lease, then continued (SIGCONT). Pins what a
 * user observes: nothing lost, every recorded output comes from the last attempt started for
 * its node, no node started by a superseded owner after the takeover, attempts within policy.
 */
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import {
  EXECUTION_STORE,
  ExecutionStore,
} from '@trellis/orchestration/state-tracker/execution-store.interface';
import { MongoStoreModule } from '@trellis/orchestration/state-tracker/mongo/mongo-store.module';
import {
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  TrellisServer,
  until,
} from '../fixtures/trellis-server';
import { epochOf, FencedService, startFencedService } from './fenced-service.fixture';

jest.setTimeout(240_000);

const LEASE_MS = 2000;
const EXECUTIONS = 12;
const TASKS = 10;
const MAX_ATTEMPTS = 3;

/** The claims in an execution's journal: epoch and when. */
async function claimsOf(store: ExecutionStore, executionId: string) {
  const { pages } = await store.readJournal(executionId, {});
  return pages.flatMap((page) =>
    page.entries.flatMap((e) =>
      e.kind === 'claim' ? [{ epoch: e.epoch, at: e.at.getTime(), owner: e.owner }] : [],
    ),
  );
}

describe('three engines on one database, one killed and one stopped past its lease', () => {
  const uri = databaseUri(databaseName('cluster'));
  let service: FencedService;
  let servers: TrellisServer[] = [];
  let storeModule: TestingModule;
  let store: ExecutionStore;
  const ids: string[] = [];
  let results: any[] = [];

  beforeAll(async () => {
    service = await startFencedService(() => 300 + Math.floor(Math.random() * 500));
    servers = await Promise.all(
      ['s1', 's2', 's3'].map((name) =>
        startServer({
          MONGODB_URI: uri,
          TRELLIS_INSTANCE_ID: name,
          TRELLIS_LEASE_MS: String(LEASE_MS),
          TRELLIS_STALL_CHECK_MS: '1000',
          LOG_LEVEL: 'debug',
        }),
      ),
    );
    storeModule = await Test.createTestingModule({
      imports: [MongooseModule.forRoot(uri), MongoStoreModule.register()],
    }).compile();
    store = storeModule.get(EXECUTION_STORE);

    const call = (id: string, deps: string[] = []) => ({
      id,
      type: 'SETUP',
      dependsOn: deps,
      config: { http: { url: `${service.url}/work`, method: 'POST', body: { node: id } } },
    });
    const tasks = Array.from({ length: TASKS }, (_, i) => call(`task-${i}`, ['prepare']));
    const graph = await request(`${servers[0].url}/graphs`, {
      body: {
        name: 'cluster',
        nodes: [
          call('prepare'),
          ...tasks,
          call(
            'report',
            tasks.map((t) => t.id),
          ),
        ],
      },
    });
    expect(graph.status).toBe(201);

    for (let i = 0; i < EXECUTIONS; i++) {
      const server = servers[i % servers.length];
      const started = await request(`${server.url}/graphs/${graph.body.id}/executions`, {
        body: {},
      });
      expect(started.status).toBe(201);
      ids.push(started.body.id);
    }
    // NOTE: faults strike while every server has nodes calling the service.
    await until(
      async () => (service.calls.length >= EXECUTIONS * 3 ? true : undefined),
      'calls in flight',
    );
    await servers[0].stop('SIGKILL');
    servers[1].process.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, LEASE_MS * 3));
    servers[1].process.kill('SIGCONT');

    const survivor = servers[2].url;
    results = await Promise.all(
      ids.map((id) =>
        until(
          async () => {
            const res = await request(`${survivor}/executions/${id}`);
            return res.status === 200 &&
              ['completed', 'failed', 'cancelled'].includes(res.body.status)
              ? res.body
              : undefined;
          },
          `execution ${id} to end`,
          120_000,
        ).catch(async (error: Error) => {
          throw new Error(`${error.message}\n${await diagnose(id)}`);
        }),
      ),
    );
  });

  /** What the journal and the servers say of an execution that did not end. */
  async function diagnose(id: string): Promise<string> {
    const { pages } = await store.readJournal(id, {});
    const lines = pages.map(
      (p) =>
        `page ${p.page} by ${p.writer} at ${p.at.toISOString()}: ` +
        p.entries
          .map((e) =>
            e.kind === 'node'
              ? `${e.nodeId} ${e.from}>${e.to}#${e.attempt}`
              : e.kind === 'execution'
                ? `execution ${e.from}>${e.to}`
                : `${e.kind} ${JSON.stringify({ ...e, at: undefined, seq: undefined, kind: undefined })}`,
          )
          .join(', '),
    );
    const logs = servers.map(
      (server, i) =>
        `s${i + 1}:\n  ${server
          .logs()
          .filter(
            (line) => /"level":(40|50)/.test(line) || /looks stopped|Recovery|claim/i.test(line),
          )
          .slice(-30)
          .join('\n  ')}`,
    );
    return [...lines, ...logs].join('\n');
  }

  afterAll(async () => {
    for (const server of servers) {
      server.process.kill('SIGCONT');
      await server.stop('SIGKILL');
    }
    await storeModule?.get<Connection>(getConnectionToken()).close();
    await storeModule?.close();
    await service?.close();
    await dropDatabase(uri);
  });

  it('loses nothing: every execution and every node completes', () => {
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 'completed'));
    for (const result of results) {
      expect(result.nodes).toHaveLength(TASKS + 2);
      expect(result.nodes.every((n: { status: string }) => n.status === 'completed')).toBe(true);
    }
  });

  it('took over the executions of the killed and the stopped server', async () => {
    const claimed = await Promise.all(ids.map((id) => claimsOf(store, id)));
    const takenOver = claimed.filter((claims) => claims.some((c) => c.epoch > 1));
    expect(takenOver.length).toBeGreaterThanOrEqual(Math.floor((EXECUTIONS * 2) / 3));
  });

  it('records for every node the output of the last attempt started for it', () => {
    for (const result of results) {
      for (const node of result.nodes) {
        const calls = service.calls.filter(
          (c) => c.executionId === result.id && c.nodeId === node.nodeId,
        );
        const last = calls.reduce((a, b) => (b.token > a.token ? b : a));
        expect({
          node: node.nodeId,
          callId: node.output.json.callId,
          token: node.fencingToken,
        }).toEqual({
          node: node.nodeId,
          callId: last.id,
          token: last.token,
        });
        expect(last.status).toBe(200);
      }
    }
  });

  it('starts no node from a superseded owner after the takeover', async () => {
    for (const id of ids) {
      const claims = await claimsOf(store, id);
      for (const call of service.calls.filter((c) => c.executionId === id)) {
        const superseding = claims.find((c) => c.epoch > epochOf(call.token));
        if (superseding)
          expect({ id: call.id, late: call.receivedAt > superseding.at }).toEqual({
            id: call.id,
            late: false,
          });
      }
    }
  });

  it('keeps attempts within the retry policy, an interrupted attempt counting', () => {
    for (const result of results) {
      for (const node of result.nodes) {
        expect(node.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
        const calls = service.calls.filter(
          (c) => c.executionId === result.id && c.nodeId === node.nodeId,
        );
        expect(calls.length).toBeLessThanOrEqual(node.attempts);
      }
    }
    const nodes = EXECUTIONS * (TASKS + 2);
    process.stdout.write(
      `[cluster] ${service.calls.length} calls for ${nodes} nodes; ` +
        `${service.calls.filter((c) => c.status === 409).length} refused as stale\n`,
    );
  });
});
