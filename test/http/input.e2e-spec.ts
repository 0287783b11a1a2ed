import {
  databaseName,
  databaseUri,
  expectError,
  JsonResponse,
  request,
  serverPerSuite,
  STACK_FRAME,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('input'));

const tiny = { name: 'tiny', nodes: [{ id: 'a', type: 'DELAY', config: { ms: 0 } }] };
const slow = { name: 'slow', nodes: [{ id: 'wait', type: 'DELAY', config: { ms: 30_000 } }] };

function paths(body: { details: { path?: string }[] }): (string | undefined)[] {
  return body.details.map((d) => d.path);
}

describe('HTTP input handling', () => {
  const suite = serverPerSuite(mongoUri);
  let api: string;
  let graphId: string;
  const errors: JsonResponse[] = [];

  /** A request whose answer is an error; every one is checked again for stack traces at the end. */
  async function rejected(url: string, options: Parameters<typeof request>[1]) {
    const res = await request(url, options);
    errors.push(res);
    return res;
  }

  async function executionsOfGraph(): Promise<number> {
    return (await request(`${api}/executions?graphId=${graphId}`)).body.items.length;
  }

  beforeAll(async () => {
    api = suite.url;
    graphId = (await request(`${api}/graphs`, { body: tiny })).body.id;
  }, 60_000);

  describe('DTO validation: 400 VALIDATION_FAILED naming the field', () => {
    it('refuses a non-string idempotencyKey', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { idempotencyKey: 5 },
      });

      expect(paths(expectError(res, 400, 'VALIDATION_FAILED'))).toContain('idempotencyKey');
    });

    it('refuses an idempotencyKey longer than 200 characters or empty', async () => {
      const long = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { idempotencyKey: 'k'.repeat(201) },
      });
      const empty = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { idempotencyKey: '' },
      });

      expect(paths(expectError(long, 400, 'VALIDATION_FAILED'))).toContain('idempotencyKey');
      expect(paths(expectError(empty, 400, 'VALIDATION_FAILED'))).toContain('idempotencyKey');
    });

    it('refuses an unknown field', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { input: {}, priority: 'high' },
      });

      expect(paths(expectError(res, 400, 'VALIDATION_FAILED'))).toContain('priority');
    });

    it('refuses an input that is not an object', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { input: 'everything' },
      });

      expect(paths(expectError(res, 400, 'VALIDATION_FAILED'))).toContain('input');
    });

    it('refuses a cancel reason that is not a string and an unknown signal field', async () => {
      const id = '0123456789abcdef01234567';
      const cancel = await rejected(`${api}/executions/${id}/cancel`, { body: { reason: 42 } });
      const signal = await rejected(`${api}/executions/${id}/nodes/a/signal`, {
        body: { payload: {}, approve: true },
      });

      expect(paths(expectError(cancel, 400, 'VALIDATION_FAILED'))).toContain('reason');
      expect(paths(expectError(signal, 400, 'VALIDATION_FAILED'))).toContain('approve');
    });

    it('starts nothing when the body is refused', async () => {
      expect(await executionsOfGraph()).toBe(0);
    });
  });

  describe('MongoDB operators', () => {
    it('refuses {"$ne": null} as the idempotencyKey', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { idempotencyKey: { $ne: null } },
      });

      expect(res.status).toBe(400);
      expect(['FORBIDDEN_KEY', 'VALIDATION_FAILED']).toContain(res.body.code);
      expectError(res, 400, res.body.code);
    });

    it('refuses a $-key nested in the input with 400 FORBIDDEN_KEY', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: { input: { filter: { nested: [{ $where: 'sleep(1000)' }] } } },
      });

      expectError(res, 400, 'FORBIDDEN_KEY');
    });

    it('refuses a $-key in a graph definition with 400 FORBIDDEN_KEY', async () => {
      const res = await rejected(`${api}/graphs`, {
        body: { ...tiny, metadata: { $set: { owner: 'mallory' } } },
      });

      expectError(res, 400, 'FORBIDDEN_KEY');
    });

    it('starts nothing for a refused operator', async () => {
      expect(await executionsOfGraph()).toBe(0);
    });
  });

  describe('malformed and oversized bodies', () => {
    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: '{"input": {"a": 1,',
      });

      expectError(res, 400, 'MALFORMED_JSON');
    });

    it('answers a body over the 8mb default limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const huge = JSON.stringify({ ...tiny, metadata: { blob: 'x'.repeat(9 * 1024 * 1024) } });

      const res = await rejected(`${api}/graphs/validate`, { body: huge });

      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers a 100,000-deep nested array with 400 BODY_TOO_DEEP and keeps serving', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);

      const res = await rejected(`${api}/graphs`, { body: deep });

      expectError(res, 400, 'BODY_TOO_DEEP');
      const health = await request(`${api}/health`);
      expect(health.status).toBe(200);
    });

    it('answers a body just deeper than 64 levels with 400 BODY_TOO_DEEP', async () => {
      let input: unknown = 'bottom';
      for (let i = 0; i < 70; i++) input = { down: input };

      const res = await rejected(`${api}/graphs/${graphId}/executions`, { body: { input } });

      expectError(res, 400, 'BODY_TOO_DEEP');
    });
  });

  describe('bodies that are not JSON: 415 UNSUPPORTED_MEDIA_TYPE', () => {
    let slowGraphId: string;

    beforeAll(async () => {
      slowGraphId = (await request(`${api}/graphs`, { body: slow })).body.id;
    });

    it('refuses a text/plain start request and starts nothing', async () => {
      const res = await rejected(`${api}/graphs/${graphId}/executions`, {
        body: JSON.stringify({ input: { env: 'prod' } }),
        headers: { 'content-type': 'text/plain' },
      });

      expect(expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE').message).toContain('text/plain');
      expect(await executionsOfGraph()).toBe(0);
    });

    it('refuses a form-encoded graph definition and a form-encoded signal', async () => {
      const graph = await rejected(`${api}/graphs`, {
        body: 'name=tiny&nodes=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const signal = await rejected(`${api}/executions/0123456789abcdef01234567/nodes/a/signal`, {
        body: 'payload=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

      expectError(graph, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(signal, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses a body sent without a content type', async () => {
      // NOTE: fetch gives a byte array body no Content-Type.
      const response = await fetch(`${api}/graphs/validate`, {
        method: 'POST',
        body: new TextEncoder().encode(JSON.stringify(tiny)),
      });
      const text = await response.text();
      const res: JsonResponse = {
        status: response.status,
        headers: response.headers,
        body: JSON.parse(text),
        text,
      };
      errors.push(res);

      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('accepts application/json with a charset', async () => {
      const res = await request(`${api}/graphs/${slowGraphId}/executions`, {
        body: { input: { env: 'prod' } },
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });

      expect(res.status).toBe(201);
      expect(res.body.input).toEqual({ env: 'prod' });
      await request(`${api}/executions/${res.body.id}/cancel`, { body: {} });
    });

    it('accepts a cancel that sends no body at all', async () => {
      const started = await request(`${api}/graphs/${slowGraphId}/executions`, { body: {} });

      const res = await request(`${api}/executions/${started.body.id}/cancel`, { method: 'POST' });

      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ id: started.body.id });
    });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const get = await rejected(`${api}/no/such/route`, {});
    const post = await rejected(`${api}/graphs/${graphId}/launch`, { body: {} });

    expectError(get, 404, 'ROUTE_NOT_FOUND');
    expectError(post, 404, 'ROUTE_NOT_FOUND');
  });

  it('puts no stack trace in any error response', () => {
    expect(errors.length).toBeGreaterThanOrEqual(20);
    for (const res of errors) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toMatch(STACK_FRAME);
      expect(res.body).not.toHaveProperty('stack');
    }
  });
});
