/**
 * Operator actions on single nodes (retry, complete, skip) against the real server on FerretDB:
 * nodes call a local HTTP service that counts the calls per execution and node, so each test
 * asserts which nodes ran again and how often. Who (`by`, the API key's name) and why (`reason`)
 * are read back from the node's history and the execution view. Two servers share one database
 * for the actions sent to an instance that does not own the execution.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  databaseName,
  databaseUri,
  dropDatabase,
  expectError,
  request,
  startServer,
  TrellisServer,
  until,
  waitForStatus,
} from '../fixtures/trellis-server';

jest.setTimeout(120_000);

const OPS_SECRET = 'ops-secret-0123456789abcdef';
const LEGACY_SECRET = 'legacy-secret-0123456789';
const ENV = {
  TRELLIS_DEFAULT_MAX_ATTEMPTS: '1',
  TRELLIS_RATE_LIMIT: '100000',
  TRELLIS_COMMAND_POLL_MS: '50',
};

/**
 * The service the nodes call (`/<nodeId>`): counts calls per execution and node, answers 500 for
 * the nodes told to fail, and holds the calls of held nodes until they are released.
 */
class NodeService {
  readonly calls = new Map<string, number>();
  readonly failing = new Set<string>();
  private readonly held = new Map<string, ServerResponse[]>();
  private readonly holding = new Set<string>();
  private readonly server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const executionId = String(req.headers['trellis-execution-id']);
    const nodeId = String(req.headers['trellis-node-id']);
    const key = `${executionId}/${nodeId}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    if (this.holding.has(nodeId)) {
      this.held.set(nodeId, [...(this.held.get(nodeId) ?? []), res]);
      return;
    }
    this.answer(res, nodeId);
  });
  url = '';

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** How often node `nodeId` of execution `executionId` was called. */
  count(executionId: string, nodeId: string): number {
    return this.calls.get(`${executionId}/${nodeId}`) ?? 0;
  }

  /** Calls of `nodeId` wait from now on until `release(nodeId)`. */
  hold(nodeId: string): void {
    this.holding.add(nodeId);
  }

  /** Answers the held calls of `nodeId` and lets later ones through. */
  release(nodeId: string): void {
    this.holding.delete(nodeId);
    for (const res of this.held.get(nodeId) ?? []) this.answer(res, nodeId);
    this.held.delete(nodeId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(res: ServerResponse, nodeId: string): void {
    const status = this.failing.has(nodeId) ? 500 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ node: nodeId }));
  }
}

const service = new NodeService();

/** A SETUP node calling the service. */
function call(id: string, dependsOn: string[] = []) {
  return { id, type: 'SETUP', dependsOn, config: { http: { url: `${service.url}/${id}` } } };
}

/** a -> b -> c, a -> d: every node calls the service. */
function chain(name: string) {
  return { name, nodes: [call('a'), call('b', ['a']), call('c', ['b']), call('d', ['a'])] };
}

/** A client of one server with one Authorization header (none with `secret` undefined). */
function client(url: () => string, secret?: string) {
  const headers: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
  const api = {
    post: (path: string, body: unknown = {}) => request(`${url()}${path}`, { body, headers }),
    get: (path: string) => request(`${url()}${path}`, { headers }),
    async graph(definition: unknown): Promise<string> {
      const res = await api.post('/graphs', definition);
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async start(graphId: string): Promise<string> {
      const res = await api.post(`/graphs/${graphId}/executions`);
      expect(res.status).toBe(201);
      return res.body.id;
    },
    ended: (id: string) =>
      waitForStatus(url(), id, ['completed', 'failed', 'cancelled'], 30_000, headers),
    async node(id: string, nodeId: string) {
      const res = await api.get(`/executions/${id}/nodes/${nodeId}`);
      expect(res.status).toBe(200);
      return res.body;
    },
    nodeReaches: (id: string, nodeId: string, status: string) =>
      until(async () => {
        const node = await api.node(id, nodeId);
        return node.status === status ? node : undefined;
      }, `${nodeId} to be ${status}`),
  };
  return api;
}

/** Node statuses of an execution view by id. */
function statuses(execution: { nodes: { nodeId: string; status: string }[] }) {
  return Object.fromEntries(execution.nodes.map((n) => [n.nodeId, n.status]));
}

/** The transitions of a history as `from>to by (reason)`. */
function operatorEntries(history: { from: string; to: string; by: string; reason?: string }[]) {
  return history
    .filter((h) => h.by !== 'e2e-a' && h.by !== 'e2e-b' && h.by !== 'e2e-open')
    .map((h) => ({ from: h.from, to: h.to, by: h.by, reason: h.reason }));
}

beforeAll(() => service.listen());
afterAll(() => service.close());

describe('node actions with named API keys, on two instances', () => {
  const uri = databaseUri(databaseName('node_actions'));
  let a: TrellisServer;
  let b: TrellisServer;
  const keys = `ops:${OPS_SECRET},${LEGACY_SECRET}`;
  const ops = client(() => a.url, OPS_SECRET);
  const legacy = client(() => a.url, LEGACY_SECRET);
  const opsOnB = client(() => b.url, OPS_SECRET);

  beforeAll(async () => {
    [a, b] = await Promise.all(
      ['e2e-a', 'e2e-b'].map((id) =>
        startServer({ MONGODB_URI: uri, TRELLIS_INSTANCE_ID: id, TRELLIS_API_KEYS: keys, ...ENV }),
      ),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDatabase(uri);
  }, 30_000);

  /** Runs chain() with `failing` nodes failing; resolves with the ended execution. */
  async function runChain(name: string, failing: string[] = []) {
    for (const id of failing) service.failing.add(id);
    const id = await ops.start(await ops.graph(chain(name)));
    const ended = await ops.ended(id);
    for (const nodeId of failing) service.failing.delete(nodeId);
    return { id, ended };
  }

  const calls = (id: string) =>
    Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, service.count(id, n)]));

  describe('retry', () => {
    it('re-runs a failed node of a failed execution and the node skipped after it, once each', async () => {
      const { id, ended } = await runChain('retry-failed', ['b']);
      expect(ended.status).toBe('failed');
      expect(statuses(ended)).toEqual({
        a: 'completed',
        b: 'failed',
        c: 'skipped',
        d: 'completed',
      });

      const res = await ops.post(`/executions/${id}/nodes/b/retry`, { reason: 'upstream fixed' });

      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ id, status: 'running' });
      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      expect(statuses(done)).toEqual({
        a: 'completed',
        b: 'completed',
        c: 'completed',
        d: 'completed',
      });
      expect(calls(id)).toEqual({ a: 1, b: 2, c: 1, d: 1 });
      const b = await ops.node(id, 'b');
      expect(b.attempts).toBe(2);
      expect(operatorEntries(b.history)).toEqual([
        { from: 'failed', to: 'pending', by: 'ops', reason: 'upstream fixed' },
      ]);
      expect(b.lastAction).toMatchObject({
        action: 'retry-node',
        by: 'ops',
        reason: 'upstream fixed',
      });
      expect(operatorEntries((await ops.node(id, 'c')).history)).toEqual([
        { from: 'skipped', to: 'pending', by: 'ops', reason: 'upstream fixed (reset with b)' },
      ]);
      expect(done.lastAction).toMatchObject({
        action: 'retry-node',
        nodeId: 'b',
        by: 'ops',
        reason: 'upstream fixed',
      });
    });

    it('re-runs a completed node of a completed execution, and with downstream every node below it', async () => {
      const { id, ended } = await runChain('retry-completed');
      expect(ended.status).toBe('completed');

      expect((await ops.post(`/executions/${id}/nodes/b/retry`)).status).toBe(202);
      expect((await ops.ended(id)).status).toBe('completed');
      expect(calls(id)).toEqual({ a: 1, b: 2, c: 1, d: 1 });
      expect(operatorEntries((await ops.node(id, 'b')).history)).toEqual([
        { from: 'completed', to: 'pending', by: 'ops', reason: 'node retry requested' },
      ]);

      const res = await ops.post(`/executions/${id}/nodes/a/retry`, { downstream: true });

      expect(res.status).toBe(202);
      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      expect(calls(id)).toEqual({ a: 2, b: 3, c: 2, d: 2 });
    });

    it('re-runs a failed node while the execution still runs, and its skipped dependent after it', async () => {
      service.failing.add('b');
      service.hold('d');
      const id = await ops.start(await ops.graph(chain('retry-live')));
      await ops.nodeReaches(id, 'c', 'skipped');
      service.failing.delete('b');

      expect((await ops.post(`/executions/${id}/nodes/b/retry`)).status).toBe(202);
      await ops.nodeReaches(id, 'c', 'completed');
      service.release('d');

      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      expect(calls(id)).toEqual({ a: 1, b: 2, c: 1, d: 1 });
    });
  });

  describe('complete', () => {
    it('marks a failed node succeeded with the output; its dependents run and the execution resumes', async () => {
      const { id, ended } = await runChain('complete', ['b']);
      expect(ended.status).toBe('failed');

      const res = await ops.post(`/executions/${id}/nodes/b/complete`, {
        output: { manual: true, items: [1, 2] },
        reason: 'checked by hand',
      });

      expect(res.status).toBe(202);
      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      expect(calls(id)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
      const b = await ops.node(id, 'b');
      expect(b).toMatchObject({ status: 'completed', output: { manual: true, items: [1, 2] } });
      expect(b.error).toBeUndefined();
      expect(operatorEntries(b.history)).toEqual([
        { from: 'failed', to: 'completed', by: 'ops', reason: 'checked by hand' },
      ]);
    });
  });

  describe('skip', () => {
    it('skips a failed node: its dependent is skipped as after any skipped node, the execution ends completed', async () => {
      const { id, ended } = await runChain('skip-failed', ['b']);
      expect(ended.status).toBe('failed');

      const res = await ops.post(`/executions/${id}/nodes/b/skip`, { reason: 'not needed today' });

      expect(res.status).toBe(202);
      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      expect(statuses(done)).toEqual({
        a: 'completed',
        b: 'skipped',
        c: 'skipped',
        d: 'completed',
      });
      expect(calls(id)).toEqual({ a: 1, b: 1, c: 0, d: 1 });
      expect(operatorEntries((await ops.node(id, 'b')).history)).toEqual([
        { from: 'failed', to: 'skipped', by: 'ops', reason: 'not needed today' },
      ]);
    });

    it('skips a pending node of a running execution: it and its dependent never run', async () => {
      service.hold('a');
      const id = await ops.start(await ops.graph(chain('skip-pending')));
      await ops.nodeReaches(id, 'a', 'running');

      expect((await ops.post(`/executions/${id}/nodes/b/skip`)).status).toBe(202);
      service.release('a');

      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      expect(statuses(done)).toEqual({
        a: 'completed',
        b: 'skipped',
        c: 'skipped',
        d: 'completed',
      });
      expect(calls(id)).toEqual({ a: 1, b: 0, c: 0, d: 1 });
      expect(operatorEntries((await ops.node(id, 'b')).history)).toEqual([
        { from: 'pending', to: 'skipped', by: 'ops', reason: 'node skipped by an operator' },
      ]);
    });
  });

  describe('refusals', () => {
    it('answers 409 with the node and execution status for an action the state does not allow', async () => {
      service.hold('a');
      const id = await ops.start(await ops.graph(chain('refusals')));
      await ops.nodeReaches(id, 'a', 'running');

      const cases: [string, string, string][] = [
        ['a', 'retry', 'running'],
        ['a', 'complete', 'running'],
        ['a', 'skip', 'running'],
        ['b', 'retry', 'pending'],
        ['b', 'complete', 'pending'],
      ];
      for (const [nodeId, action, nodeStatus] of cases) {
        const body = expectError(
          await ops.post(`/executions/${id}/nodes/${nodeId}/${action}`),
          409,
          'INVALID_STATE',
        );
        expect(body.state).toBe(nodeStatus);
        expect(body.message).toContain(`Cannot ${action} node ${nodeId}`);
        expect(body.details).toEqual([
          {
            code: 'NODE_ACTION_REFUSED',
            nodeId,
            nodeStatus,
            executionStatus: 'running',
            message: expect.stringContaining(`it is ${nodeStatus}`),
          },
        ]);
      }
      service.release('a');
      const done = await ops.ended(id);
      expect(done.status).toBe('completed');

      const completed = expectError(
        await ops.post(`/executions/${id}/nodes/c/skip`),
        409,
        'INVALID_STATE',
      );
      expect(completed.details[0]).toMatchObject({
        nodeStatus: 'completed',
        executionStatus: 'completed',
      });
      expectError(await ops.post(`/executions/${id}/nodes/c/complete`), 409, 'INVALID_STATE');
      expect(calls(id)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    });

    it('refuses a retry with downstream while a node below it runs', async () => {
      service.hold('d');
      const id = await ops.start(await ops.graph(chain('downstream-busy')));
      await ops.nodeReaches(id, 'c', 'completed');

      const body = expectError(
        await ops.post(`/executions/${id}/nodes/a/retry`, { downstream: true }),
        409,
        'INVALID_STATE',
      );
      expect(body.details[0]).toMatchObject({ nodeId: 'a', nodeStatus: 'completed' });
      expect(body.message).toMatch(/node d downstream of it is running/);
      service.release('d');
      expect((await ops.ended(id)).status).toBe('completed');
    });

    it('answers 404 for an unknown node and 400 for a bad body', async () => {
      const { id } = await runChain('bad-requests');
      expectError(await ops.post(`/executions/${id}/nodes/nope/retry`), 404, 'NODE_NOT_FOUND');
      expectError(
        await ops.post(`/executions/${id}/nodes/b/retry`, { downstream: 'yes' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await ops.post(`/executions/${id}/nodes/b/skip`, { reason: 'x'.repeat(1001) }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('on an instance that does not own the execution', () => {
    it('hands the action to the owner, which applies it once and answers when it did', async () => {
      service.failing.add('b');
      service.hold('d');
      const id = await ops.start(await ops.graph(chain('elsewhere')));
      await ops.nodeReaches(id, 'c', 'skipped');
      service.failing.delete('b');

      const refused = expectError(
        await opsOnB.post(`/executions/${id}/nodes/d/complete`),
        409,
        'INVALID_STATE',
      );
      expect(refused.details[0]).toMatchObject({
        nodeStatus: 'running',
        executionStatus: 'running',
      });

      const res = await opsOnB.post(`/executions/${id}/nodes/b/retry`, {
        reason: 'sent to the other instance',
      });

      expect(res.status).toBe(202);
      expect(res.body.pending).toBeUndefined();
      await ops.nodeReaches(id, 'c', 'completed');
      service.release('d');
      const done = await ops.ended(id);
      expect(done.status).toBe('completed');
      // NOTE: a second apply of the retry would call b a third time (b completed by then).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(calls(id)).toEqual({ a: 1, b: 2, c: 1, d: 1 });
      const b = await ops.node(id, 'b');
      expect(operatorEntries(b.history)).toEqual([
        { from: 'failed', to: 'pending', by: 'ops', reason: 'sent to the other instance' },
      ]);
      // NOTE: the owner, not the instance that took the request, ran the node after it.
      const c = (await ops.node(id, 'c')).history as { from: string; to: string; by: string }[];
      const reset = c.findIndex((h) => h.from === 'skipped' && h.to === 'pending');
      expect(reset).toBeGreaterThan(0);
      expect(c.slice(reset + 1).map((h) => `${h.from}>${h.to} ${h.by}`)).toEqual([
        'pending>ready e2e-a',
        'ready>running e2e-a',
        'running>completed e2e-a',
      ]);
    });

    it('reopens an ended execution on the instance that takes the action', async () => {
      const { id, ended } = await runChain('reopen-elsewhere', ['b']);
      expect(ended.status).toBe('failed');

      expect((await opsOnB.post(`/executions/${id}/nodes/b/retry`)).status).toBe(202);

      const done = await opsOnB.ended(id);
      expect(done.status).toBe('completed');
      expect(calls(id)).toEqual({ a: 1, b: 2, c: 1, d: 1 });
      expect((await ops.node(id, 'c')).history.map((h: { by: string }) => h.by)).toContain('e2e-b');
    });
  });

  describe('who and why on the existing actions', () => {
    it('records the key name and reason of a cancel, a signal and an execution retry', async () => {
      const gated = {
        name: 'gated',
        nodes: [
          { id: 'gate', type: 'SYNCHRONIZATION', config: { waitForSignal: true } },
          call('after', ['gate']),
          call('slow'),
        ],
      };
      service.hold('slow');
      const id = await ops.start(await ops.graph(gated));
      await ops.nodeReaches(id, 'gate', 'waiting');

      const signalled = await opsOnB.post(`/executions/${id}/nodes/gate/signal`, {
        payload: { ok: true },
        reason: 'approved in the change board',
      });
      expect(signalled.status).toBe(202);
      await ops.nodeReaches(id, 'after', 'completed');
      const cancelled = await ops.post(`/executions/${id}/cancel`, { reason: 'freeze' });
      expect(cancelled.status).toBe(202);
      service.release('slow');
      const ended = await ops.ended(id);
      expect(ended.status).toBe('cancelled');
      expect(ended.lastAction).toMatchObject({ action: 'cancel', by: 'ops', reason: 'freeze' });
      expect(ended.error).toMatchObject({ code: 'EXECUTION_CANCELLED', message: 'freeze' });

      const retried = await legacy.post(`/executions/${id}/retry`, { reason: 'freeze over' });
      expect(retried.status).toBe(202);
      expect(retried.body.lastAction).toMatchObject({
        action: 'retry',
        by: 'key-2',
        reason: 'freeze over',
      });
      expect((await ops.ended(id)).status).toBe('completed');

      expect(operatorEntries((await ops.node(id, 'gate')).history)).toEqual([
        { from: 'waiting', to: 'ready', by: 'ops', reason: 'approved in the change board' },
      ]);
      expect(operatorEntries((await ops.node(id, 'slow')).history)).toEqual([
        { from: 'running', to: 'cancelled', by: 'ops', reason: 'freeze' },
        { from: 'cancelled', to: 'pending', by: 'key-2', reason: 'freeze over' },
      ]);
    });
  });

  describe('the old key form', () => {
    it('records a bare secret as key-<n>, its position in TRELLIS_API_KEYS', async () => {
      const { id } = await runChain('legacy-key', ['b']);

      expect((await legacy.post(`/executions/${id}/nodes/b/skip`)).status).toBe(202);

      await legacy.ended(id);
      expect(operatorEntries((await legacy.node(id, 'b')).history)).toEqual([
        { from: 'failed', to: 'skipped', by: 'key-2', reason: 'node skipped by an operator' },
      ]);
    });
  });
});

describe('node actions with authentication off', () => {
  const uri = databaseUri(databaseName('node_actions_open'));
  let server: TrellisServer;
  const open = client(() => server.url);

  beforeAll(async () => {
    server = await startServer({ MONGODB_URI: uri, TRELLIS_INSTANCE_ID: 'e2e-open', ...ENV });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await dropDatabase(uri);
  }, 30_000);

  it('records the operator as anonymous', async () => {
    service.failing.add('b');
    const id = await open.start(await open.graph(chain('anonymous')));
    expect((await open.ended(id)).status).toBe('failed');
    service.failing.delete('b');

    expect(
      (await open.post(`/executions/${id}/nodes/b/retry`, { reason: 'try again' })).status,
    ).toBe(202);

    expect((await open.ended(id)).status).toBe('completed');
    expect(operatorEntries((await open.node(id, 'b')).history)).toEqual([
      { from: 'failed', to: 'pending', by: 'anonymous', reason: 'try again' },
    ]);
  });
});
