import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  databaseName,
  databaseUri,
  expectError,
  ISO_MS,
  request,
  serverPerSuite,
  until,
  waitForStatus,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('executions'));
const INSTANCE = 'e2e-executions';
const UNKNOWN_ID = '0123456789abcdef01234567';

const quick = {
  name: 'quick',
  input: { x: 20 },
  nodes: [
    { id: 'first', type: 'DELAY', config: { ms: 5 } },
    {
      id: 'double',
      type: 'DATA_PROCESSING',
      dependsOn: ['first'],
      config: { expression: '{ "doubled": input.x * 2 }' },
    },
  ],
};

const checked = {
  name: 'checked',
  nodes: [
    {
      id: 'check',
      type: 'VALIDATION',
      config: {
        rules: [
          { path: 'input.ok', operator: 'eq', value: true, message: 'input.ok must be true' },
        ],
      },
    },
  ],
};

function example(name: string) {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', `${name}.json`), 'utf8'));
}

const slow = { name: 'slow', nodes: [{ id: 'wait', type: 'DELAY', config: { ms: 30_000 } }] };

/**
 * An HTTP endpoint the `fetch` node calls: it answers 503 until it is told to answer 200, and
 * keeps the Trellis-Fencing-Token of every call.
 */
class Upstream {
  healthy = false;
  calls = 0;
  tokens: number[] = [];
  private readonly server: Server = createServer((req, res) => {
    this.calls++;
    this.tokens.push(Number(req.headers['trellis-fencing-token']));
    res.writeHead(this.healthy ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ healthy: this.healthy }));
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/status`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('HTTP executions', () => {
  const suite = serverPerSuite(mongoUri, {
    TRELLIS_INSTANCE_ID: INSTANCE,
    TRELLIS_COMMAND_ALLOWLIST: 'node',
  });
  let api: string;
  const upstream = new Upstream();
  let upstreamUrl: string;
  let quickId: string;
  let checkedId: string;

  async function createGraph(definition: unknown): Promise<string> {
    const res = await request(`${api}/graphs`, { body: definition });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function startExecution(graphId: string, body: unknown = {}) {
    return request(`${api}/graphs/${graphId}/executions`, { body });
  }

  async function nodeDetail(executionId: string, nodeId: string) {
    const res = await request(`${api}/executions/${executionId}/nodes/${nodeId}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    upstreamUrl = await upstream.listen();
    api = suite.url;
    quickId = await createGraph(quick);
    checkedId = await createGraph(checked);
  }, 60_000);

  afterAll(async () => {
    await upstream.close();
  }, 30_000);

  it('starts an execution: 201 with id, graphId and status, input merged over the default', async () => {
    const res = await startExecution(quickId, { input: { y: 1 } });

    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      graphId: quickId,
      status: expect.stringMatching(/^(pending|running)$/),
      input: { x: 20, y: 1 },
      idempotencyKey: null,
      createdAt: expect.stringMatching(ISO_MS),
    });
    await waitForStatus(api, res.body.id, ['completed']);
  });

  it('shows a completed execution with every node: times ISO-8601 with ms, output when present', async () => {
    const started = await startExecution(quickId);

    const done = await waitForStatus(api, started.body.id, ['completed', 'failed']);

    expect(done).toEqual({
      id: started.body.id,
      graphId: quickId,
      status: 'completed',
      input: { x: 20 },
      idempotencyKey: null,
      createdAt: expect.stringMatching(ISO_MS),
      startedAt: expect.stringMatching(ISO_MS),
      completedAt: expect.stringMatching(ISO_MS),
      nodes: expect.any(Array),
    });
    const nodes = Object.fromEntries(done.nodes.map((n: { nodeId: string }) => [n.nodeId, n]));
    expect(Object.keys(nodes).sort()).toEqual(['double', 'first']);
    expect(nodes.double).toEqual({
      nodeId: 'double',
      status: 'completed',
      attempts: 1,
      startedAt: expect.stringMatching(ISO_MS),
      completedAt: expect.stringMatching(ISO_MS),
      output: { doubled: 40 },
      fencingToken: expect.any(Number),
    });
    expect(nodes.first).toMatchObject({
      status: 'completed',
      attempts: 1,
      output: { waitedMs: 5 },
      fencingToken: expect.any(Number),
    });
    expect(nodes.first.error).toBeUndefined();
    // NOTE: within one owner, every later attempt gets a greater token.
    expect(nodes.double.fencingToken).toBeGreaterThan(nodes.first.fencingToken);
    expect(Date.parse(done.completedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
  });

  it('shows a failed execution with the error of the execution and of the failed node', async () => {
    const started = await startExecution(checkedId, { input: { ok: false } });

    const failed = await waitForStatus(api, started.body.id, ['completed', 'failed']);

    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual(
      expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    );
    expect(failed.nodes).toEqual([
      {
        nodeId: 'check',
        status: 'failed',
        attempts: 1,
        startedAt: expect.stringMatching(ISO_MS),
        completedAt: expect.stringMatching(ISO_MS),
        error: expect.objectContaining({
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: expect.objectContaining({ broken: expect.any(Array) }),
        }),
        fencingToken: expect.any(Number),
      },
    ]);
  });

  it('returns a node with its full history: seq, from, to, at, by, attempt, fencing token', async () => {
    const started = await startExecution(quickId);
    await waitForStatus(api, started.body.id, ['completed']);

    const node = await nodeDetail(started.body.id, 'double');

    expect(node).toMatchObject({
      executionId: started.body.id,
      nodeId: 'double',
      status: 'completed',
      attempts: 1,
      startedAt: expect.stringMatching(ISO_MS),
      completedAt: expect.stringMatching(ISO_MS),
      nextAttemptAt: null,
      output: { doubled: 40 },
    });
    expect(node.history.map((h: { to: string }) => h.to)).toEqual([
      'ready',
      'running',
      'completed',
    ]);
    expect(node.history[0].from).toBe('pending');
    node.history.forEach((entry: any, i: number) => {
      expect(entry).toMatchObject({
        seq: expect.any(Number),
        from: expect.any(String),
        to: expect.any(String),
        at: expect.stringMatching(ISO_MS),
        by: INSTANCE,
      });
      if (i > 0) {
        expect(entry.from).toBe(node.history[i - 1].to);
        expect(entry.seq).toBeGreaterThan(node.history[i - 1].seq);
        expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(Date.parse(node.history[i - 1].at));
      }
    });
    expect(node.history[1].attempt).toBe(1);
    // The attempt's start carries its fencing token: the one the handler got.
    expect(node.history[1].fencingToken).toBe(node.fencingToken);
    expect(node.history.filter((h: any) => h.fencingToken !== undefined)).toHaveLength(1);
  });

  it('answers 404 EXECUTION_NOT_FOUND and NODE_NOT_FOUND, 400 INVALID_ID for a malformed id', async () => {
    const started = await startExecution(quickId);
    await waitForStatus(api, started.body.id, ['completed']);

    expectError(await request(`${api}/executions/${UNKNOWN_ID}`), 404, 'EXECUTION_NOT_FOUND');
    expectError(
      await request(`${api}/executions/${UNKNOWN_ID}/nodes/first`),
      404,
      'EXECUTION_NOT_FOUND',
    );
    expectError(
      await request(`${api}/executions/${UNKNOWN_ID}/cancel`, { body: {} }),
      404,
      'EXECUTION_NOT_FOUND',
    );
    expectError(
      await request(`${api}/executions/${UNKNOWN_ID}/retry`, { body: {} }),
      404,
      'EXECUTION_NOT_FOUND',
    );
    expectError(
      await request(`${api}/executions/${started.body.id}/nodes/no-such-node`),
      404,
      'NODE_NOT_FOUND',
    );
    expectError(await request(`${api}/executions/xyz`), 400, 'INVALID_ID');
  });

  describe('idempotency', () => {
    it('replays the execution of a repeated idempotencyKey: 200, Idempotent-Replayed: true, same id', async () => {
      const first = await startExecution(quickId, { idempotencyKey: 'nightly-1' });
      const second = await startExecution(quickId, {
        idempotencyKey: 'nightly-1',
        input: { x: 1 },
      });

      expect(first.status).toBe(201);
      expect(first.body.idempotencyKey).toBe('nightly-1');
      expect(second.status).toBe(200);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.input).toEqual({ x: 20 });
      await waitForStatus(api, first.body.id, ['completed']);
    });

    it('starts one execution for 20 concurrent requests with the same key', async () => {
      const graphId = await createGraph({ ...quick, name: 'concurrent' });

      const responses = await Promise.all(
        Array.from({ length: 20 }, () => startExecution(graphId, { idempotencyKey: 'burst' })),
      );

      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const listed = await request(`${api}/executions?graphId=${graphId}`);
      expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([responses[0].body.id]);
      for (const replay of responses.filter((r) => r.status === 200)) {
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
      }
      await waitForStatus(api, responses[0].body.id, ['completed']);
    });

    it('keeps keys per graph: the same key on another graph starts another execution', async () => {
      const a = await startExecution(quickId, { idempotencyKey: 'shared-key' });
      const b = await startExecution(checkedId, {
        idempotencyKey: 'shared-key',
        input: { ok: true },
      });

      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).not.toBe(b.body.id);
      await waitForStatus(api, a.body.id, ['completed']);
      await waitForStatus(api, b.body.id, ['completed']);
    });
  });

  describe('listing', () => {
    let graphId: string;
    const ids: string[] = [];

    beforeAll(async () => {
      graphId = await createGraph({ ...checked, name: 'listed' });
      for (const ok of [true, false, true]) {
        const res = await startExecution(graphId, { input: { ok } });
        ids.push(res.body.id);
        await waitForStatus(api, res.body.id, ['completed', 'failed']);
      }
      // NOTE: lists fold outcomes written once the journal has the transition (docs/HTTP-API.md):
      // they agree with the executions' own reads a moment later.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const listed = await request(`${api}/executions?graphId=${graphId}`);
        const ended = listed.body.items?.filter((e: any) => e.status !== 'running').length;
        if (ended === ids.length || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }, 30_000);

    it('filters by graph, newest first', async () => {
      const res = await request(`${api}/executions?graphId=${graphId}`);

      expect(res.status).toBe(200);
      expect(res.body.items.map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items[0]).toEqual({
        id: ids[2],
        graphId,
        status: 'completed',
        input: { ok: true },
        idempotencyKey: null,
        createdAt: expect.stringMatching(ISO_MS),
        startedAt: expect.stringMatching(ISO_MS),
        completedAt: expect.stringMatching(ISO_MS),
      });
    });

    it('filters by a comma list of statuses', async () => {
      const of = async (status: string) =>
        (await request(`${api}/executions?graphId=${graphId}&status=${status}`)).body.items.map(
          (e: { id: string }) => e.id,
        );

      expect(await of('completed')).toEqual([ids[2], ids[0]]);
      expect(await of('failed')).toEqual([ids[1]]);
      expect(await of('failed,completed')).toEqual([ids[2], ids[1], ids[0]]);
      expect(await of('running,pending')).toEqual([]);
    });

    it('pages with a cursor: disjoint and complete', async () => {
      const first = await request(`${api}/executions?graphId=${graphId}&limit=2`);
      const second = await request(
        `${api}/executions?graphId=${graphId}&limit=2&cursor=${first.body.nextCursor}`,
      );

      expect(first.body.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
      expect(first.body.nextCursor).toBe(ids[1]);
      expect(second.body.items.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('refuses an unknown status or a malformed graphId with 400 VALIDATION_FAILED naming it', async () => {
      const status = expectError(
        await request(`${api}/executions?status=running,exploded`),
        400,
        'VALIDATION_FAILED',
      );
      const graph = expectError(
        await request(`${api}/executions?graphId=nope`),
        400,
        'VALIDATION_FAILED',
      );

      expect(status.details.map((d: { path: string }) => d.path)).toContain('status');
      expect(graph.details.map((d: { path: string }) => d.path)).toContain('graphId');
    });
  });

  describe('cancel', () => {
    it('cancels a running execution: 202, then it ends cancelled; a second cancel is 409', async () => {
      const graphId = await createGraph(slow);
      const started = await startExecution(graphId);
      await until(
        async () =>
          (await nodeDetail(started.body.id, 'wait')).status === 'running' ? true : undefined,
        'the DELAY node to run',
      );

      const cancelled = await request(`${api}/executions/${started.body.id}/cancel`, {
        body: { reason: 'e2e says stop' },
      });

      expect(cancelled.status).toBe(202);
      expect(cancelled.body).toMatchObject({ id: started.body.id, graphId });
      const ended = await waitForStatus(
        api,
        started.body.id,
        ['cancelled', 'failed', 'completed'],
        10_000,
      );
      expect(ended.status).toBe('cancelled');
      expect(ended.nodes[0].status).toBe('cancelled');
      const again = expectError(
        await request(`${api}/executions/${started.body.id}/cancel`, { body: {} }),
        409,
        'INVALID_STATE',
      );
      expect(again.state).toBe('cancelled');
    });

    it('refuses to cancel a completed execution: 409 INVALID_STATE, state completed', async () => {
      const started = await startExecution(quickId);
      await waitForStatus(api, started.body.id, ['completed']);

      const res = await request(`${api}/executions/${started.body.id}/cancel`, { body: {} });

      expect(expectError(res, 409, 'INVALID_STATE').state).toBe('completed');
    });
  });

  describe('retry', () => {
    it('refuses to retry a completed execution: 409 INVALID_STATE, state completed', async () => {
      const started = await startExecution(quickId);
      await waitForStatus(api, started.body.id, ['completed']);

      const res = await request(`${api}/executions/${started.body.id}/retry`, { body: {} });

      expect(expectError(res, 409, 'INVALID_STATE').state).toBe('completed');
    });

    it('refuses to retry a running execution: 409 INVALID_STATE, state running', async () => {
      const graphId = await createGraph({ ...slow, name: 'slow-retry' });
      const started = await startExecution(graphId);
      await waitForStatus(api, started.body.id, ['running']);

      const res = await request(`${api}/executions/${started.body.id}/retry`, { body: {} });

      expect(expectError(res, 409, 'INVALID_STATE').state).toBe('running');
      await request(`${api}/executions/${started.body.id}/cancel`, { body: {} });
      await waitForStatus(api, started.body.id, ['cancelled']);
    });

    it('re-runs a failed execution: 202 running, failed and skipped nodes run again, completed ones keep their output', async () => {
      upstream.healthy = false;
      upstream.calls = 0;
      upstream.tokens = [];
      // NOTE: `fetch` has no retry block, so it gets the default policy (3 attempts,
      // exponential backoff from 1 s): 3 calls before the execution fails, then 1 after the retry.
      const graphId = await createGraph({
        name: 'flaky-upstream',
        nodes: [
          { id: 'prepare', type: 'DELAY', config: { ms: 1 } },
          {
            id: 'side',
            type: 'DATA_PROCESSING',
            config: { expression: '{ "side": true }' },
          },
          {
            id: 'fetch',
            type: 'SETUP',
            dependsOn: ['prepare'],
            config: { http: { url: upstreamUrl } },
          },
          { id: 'publish', type: 'DELAY', dependsOn: ['fetch'], config: { ms: 1 } },
        ],
      });
      const started = await startExecution(graphId);
      const failed = await waitForStatus(api, started.body.id, ['failed', 'completed']);
      expect(failed.status).toBe('failed');
      const before = Object.fromEntries(failed.nodes.map((n: any) => [n.nodeId, n]));
      expect(before.fetch).toMatchObject({ status: 'failed', attempts: 3 });
      expect(before.publish.status).toBe('skipped');
      expect(before.prepare.status).toBe('completed');
      expect(upstream.calls).toBe(3);
      expect(
        (await nodeDetail(started.body.id, 'fetch')).history.map((h: { to: string }) => h.to),
      ).toEqual(['ready', 'running', 'failed', 'running', 'failed', 'running', 'failed']);
      const prepareHistory = (await nodeDetail(started.body.id, 'prepare')).history;

      upstream.healthy = true;
      const retried = await request(`${api}/executions/${started.body.id}/retry`, { body: {} });

      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ id: started.body.id, status: 'running' });
      expect(retried.body.error).toBeUndefined();
      const done = await waitForStatus(api, started.body.id, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      const after = Object.fromEntries(done.nodes.map((n: any) => [n.nodeId, n]));
      for (const id of ['prepare', 'side']) {
        expect(after[id]).toEqual(before[id]);
      }
      expect((await nodeDetail(started.body.id, 'prepare')).history).toEqual(prepareHistory);
      expect(after.fetch).toMatchObject({
        status: 'completed',
        attempts: 4,
        output: expect.objectContaining({ kind: 'http', httpStatus: 200 }),
      });
      expect(after.fetch.error).toBeUndefined();
      expect(after.publish.status).toBe('completed');
      expect(upstream.calls).toBe(4);
      // NOTE: every call carried its attempt's token, each greater than the one before.
      upstream.tokens.slice(1).forEach((token, i) => {
        expect(token).toBeGreaterThan(upstream.tokens[i]);
      });
      expect(upstream.tokens[2]).toBe(before.fetch.fencingToken);
      expect(upstream.tokens[3]).toBe(after.fetch.fencingToken);
    }, 30_000);

    it('re-runs a cancelled execution: 202 running', async () => {
      const graphId = await createGraph({ ...slow, name: 'slow-again' });
      const started = await startExecution(graphId);
      await waitForStatus(api, started.body.id, ['running']);
      await request(`${api}/executions/${started.body.id}/cancel`, { body: {} });
      await waitForStatus(api, started.body.id, ['cancelled']);

      const retried = await request(`${api}/executions/${started.body.id}/retry`, { body: {} });

      expect(retried.status).toBe(202);
      expect(retried.body.status).toBe('running');
      await until(
        async () =>
          (await nodeDetail(started.body.id, 'wait')).status === 'running' ? true : undefined,
        'the cancelled node to run again',
      );
      await request(`${api}/executions/${started.body.id}/cancel`, { body: {} });
      await waitForStatus(api, started.body.id, ['cancelled']);
    });
  });

  describe('signal', () => {
    const dataPipeline = example('data-pipeline');

    async function nodeReaches(executionId: string, nodeId: string, status: string) {
      return until(async () => {
        const node = await nodeDetail(executionId, nodeId);
        return node.status === status ? node : undefined;
      }, `${nodeId} to be ${status}`);
    }

    it('releases the approval gate of data-pipeline: 202 delivered, the payload is its output', async () => {
      const graphId = await createGraph(dataPipeline);
      const started = await startExecution(graphId, { input: { approvalThreshold: 2 } });
      await nodeReaches(started.body.id, 'approval-gate', 'waiting');
      const waiting = await request(`${api}/executions/${started.body.id}`);
      expect(waiting.body.status).toBe('running');
      // NOTE: a waiting gate has made no attempt: no start time and no fencing token.
      expect(waiting.body.nodes.find((n: any) => n.nodeId === 'approval-gate')).toEqual({
        nodeId: 'approval-gate',
        status: 'waiting',
        attempts: 0,
        startedAt: null,
        completedAt: null,
      });
      const early = await nodeDetail(started.body.id, 'transform');
      expect(early.status).toBe('pending');
      const payload = { approvedBy: 'dana@acme.test', ticket: 'CHG-2041' };

      const signalled = await request(
        `${api}/executions/${started.body.id}/nodes/approval-gate/signal`,
        { body: { payload } },
      );

      expect(signalled.status).toBe(202);
      expect(signalled.body).toEqual({ delivered: true });
      const done = await waitForStatus(api, started.body.id, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      const nodes = Object.fromEntries(done.nodes.map((n: any) => [n.nodeId, n]));
      expect(nodes['approval-gate']).toMatchObject({
        attempts: 1,
        output: payload,
        fencingToken: expect.any(Number),
      });
      expect(nodes['auto-approve'].status).toBe('skipped');
      expect(nodes.notify.output.message).toMatch(/approved by dana@acme\.test$/);
      const gate = await nodeDetail(started.body.id, 'approval-gate');
      expect(
        gate.history.map((h: { to: string; reason?: string; attempt?: number }) => [
          h.to,
          h.reason ?? null,
          h.attempt,
        ]),
      ).toEqual([
        ['ready', null, 0],
        ['waiting', 'waiting for a signal', 0],
        // NOTE: the signal's transition is the operator's: by and reason are the signaller's.
        ['ready', 'signal from anonymous', 0],
        ['running', null, 1],
        ['completed', null, 1],
      ]);

      const late = await request(
        `${api}/executions/${started.body.id}/nodes/approval-gate/signal`,
        { body: { payload } },
      );
      expect(expectError(late, 409, 'INVALID_STATE').state).toBe('completed');
    });

    it('keeps a signal sent before its gate is reached and uses it once the gate is ready', async () => {
      const graphId = await createGraph({
        name: 'two-gates',
        nodes: [
          { id: 'hold', type: 'SYNCHRONIZATION', config: { waitForSignal: true } },
          {
            id: 'gate',
            type: 'SYNCHRONIZATION',
            dependsOn: ['hold'],
            config: { waitForSignal: true },
          },
        ],
      });
      const started = await startExecution(graphId);
      await nodeReaches(started.body.id, 'hold', 'waiting');

      const early = await request(`${api}/executions/${started.body.id}/nodes/gate/signal`, {
        body: { payload: { approvedBy: 'early-bird' } },
      });

      expect(early.status).toBe(202);
      expect(await nodeDetail(started.body.id, 'gate')).toMatchObject({
        status: 'pending',
        attempts: 0,
        history: [],
      });
      const released = await request(`${api}/executions/${started.body.id}/nodes/hold/signal`, {
        body: {},
      });
      expect(released.status).toBe(202);
      const done = await waitForStatus(api, started.body.id, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      const gate = await nodeDetail(started.body.id, 'gate');
      expect(gate).toMatchObject({
        status: 'completed',
        attempts: 1,
        output: { approvedBy: 'early-bird' },
      });
      // NOTE: the kept signal lets the gate run at once: it never waits.
      expect(gate.history.map((h: { to: string }) => h.to)).toEqual([
        'ready',
        'running',
        'completed',
      ]);
    });

    it('fails a gate that gets no signal within its timeoutMs: NODE_TIMEOUT, no attempt, no retry', async () => {
      const graphId = await createGraph({
        name: 'unanswered',
        nodes: [
          {
            id: 'gate',
            type: 'SYNCHRONIZATION',
            timeoutMs: 300,
            config: { waitForSignal: true },
          },
          { id: 'after', type: 'DELAY', dependsOn: ['gate'], config: { ms: 0 } },
        ],
      });
      const started = await startExecution(graphId);

      const failed = await waitForStatus(api, started.body.id, ['completed', 'failed']);

      expect(failed.status).toBe('failed');
      expect(failed.error).toEqual({ code: 'NODES_FAILED', message: '1 node(s) failed: gate' });
      const nodes = Object.fromEntries(failed.nodes.map((n: any) => [n.nodeId, n]));
      expect(nodes.gate).toEqual({
        nodeId: 'gate',
        status: 'failed',
        attempts: 0,
        startedAt: null,
        completedAt: expect.stringMatching(ISO_MS),
        error: { code: 'NODE_TIMEOUT', message: 'Node gate got no signal within 300 ms' },
      });
      expect(nodes.after.status).toBe('skipped');
      const gate = await nodeDetail(started.body.id, 'gate');
      expect(gate.history.map((h: { to: string }) => h.to)).toEqual(['ready', 'waiting', 'failed']);
    });

    it('refuses to signal a node that has completed while the execution runs: 409', async () => {
      const graphId = await createGraph({
        name: 'gate',
        nodes: [
          { id: 'before', type: 'DELAY', config: { ms: 0 } },
          {
            id: 'gate',
            type: 'SYNCHRONIZATION',
            dependsOn: ['before'],
            config: { waitForSignal: true },
          },
        ],
      });
      const started = await startExecution(graphId);
      await nodeReaches(started.body.id, 'gate', 'waiting');

      const res = await request(`${api}/executions/${started.body.id}/nodes/before/signal`, {
        body: {},
      });

      expect(expectError(res, 409, 'INVALID_STATE').state).toBe('completed');
      await request(`${api}/executions/${started.body.id}/cancel`, { body: {} });
      await waitForStatus(api, started.body.id, ['cancelled']);
    });
  });

  describe('the example pipelines (commands allowed: node)', () => {
    it('runs ci-pipeline to completion and reports the summed suites', async () => {
      const graphId = await createGraph(example('ci-pipeline'));
      const started = await startExecution(graphId);

      const done = await waitForStatus(api, started.body.id, ['completed', 'failed'], 30_000);

      expect(done.status).toBe('completed');
      expect(done.nodes.filter((n: any) => n.status !== 'completed')).toEqual([]);
      const notify = done.nodes.find((n: any) => n.nodeId === 'notify');
      expect(notify.output).toMatchObject({
        channel: 'log',
        message: 'CI acme/storefront@9f3c2e1 (main): 253 passed, 0 failed, 4 skipped in 3 suites',
      });
    }, 40_000);

    it('fails failing-pipeline on checkout-e2e; a retry runs only that branch again', async () => {
      const graphId = await createGraph(example('failing-pipeline'));
      const started = await startExecution(graphId);
      const failed = await waitForStatus(api, started.body.id, ['completed', 'failed'], 30_000);
      expect(failed.status).toBe('failed');
      expect(failed.error.message).toContain('checkout-e2e');
      const before = Object.fromEntries(failed.nodes.map((n: any) => [n.nodeId, n]));
      expect(before['checkout-e2e']).toMatchObject({
        status: 'failed',
        attempts: 2,
        error: { code: 'TEST_FAILED' },
      });
      expect([before['verify-results'].status, before['notify-release'].status]).toEqual([
        'skipped',
        'skipped',
      ]);
      const kept = ['prepare-workspace', 'unit-tests', 'publish-unit-report', 'cleanup-workspace'];
      for (const id of kept) expect(before[id].status).toBe('completed');

      const retried = await request(`${api}/executions/${started.body.id}/retry`, { body: {} });

      expect(retried.status).toBe(202);
      expect(retried.body.status).toBe('running');
      const again = await waitForStatus(api, started.body.id, ['completed', 'failed'], 30_000);
      expect(again.status).toBe('failed');
      const after = Object.fromEntries(again.nodes.map((n: any) => [n.nodeId, n]));
      for (const id of kept) expect(after[id]).toEqual(before[id]);
      const checkout = await nodeDetail(started.body.id, 'checkout-e2e');
      expect(checkout.history.filter((h: { to: string }) => h.to === 'running')).toHaveLength(4);
      expect(after['verify-results'].status).toBe('skipped');
    }, 60_000);
  });
});

describe('HTTP executions on one worker (TRELLIS_MAX_WORKERS=1)', () => {
  const suite = serverPerSuite(databaseUri(databaseName('one_worker')), {
    TRELLIS_MAX_WORKERS: '1',
  });

  async function start(definition: unknown): Promise<string> {
    const graph = await request(`${suite.url}/graphs`, { body: definition });
    expect(graph.status).toBe(201);
    const started = await request(`${suite.url}/graphs/${graph.body.id}/executions`, { body: {} });
    expect(started.status).toBe(201);
    return started.body.id;
  }

  it('runs another execution to completion while a gate waits: a waiting gate holds no worker slot', async () => {
    const gated = await start({
      name: 'gated',
      nodes: [{ id: 'gate', type: 'SYNCHRONIZATION', config: { waitForSignal: true } }],
    });
    await until(async () => {
      const res = await request(`${suite.url}/executions/${gated}/nodes/gate`);
      return res.body.status === 'waiting' ? true : undefined;
    }, 'the gate to wait');
    const stats = await request(`${suite.url}/stats`);
    expect(stats.body.workers).toEqual({ max: 1, busy: 0, queued: 0, activeExecutions: 1 });

    const other = await start(quick);
    const done = await waitForStatus(suite.url, other, ['completed', 'failed']);

    expect(done.status).toBe('completed');
    const still = await request(`${suite.url}/executions/${gated}`);
    expect(still.body).toMatchObject({ status: 'running', nodes: [{ status: 'waiting' }] });
    const signalled = await request(`${suite.url}/executions/${gated}/nodes/gate/signal`, {
      body: { payload: { go: true } },
    });
    expect(signalled.status).toBe(202);
    const released = await waitForStatus(suite.url, gated, ['completed', 'failed']);
    expect(released.status).toBe('completed');
    expect(released.nodes[0].output).toEqual({ go: true });
  });
});
