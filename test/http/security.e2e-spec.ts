import {
  databaseName,
  databaseUri,
  expectError,
  request,
  runServerToExit,
  serverPerSuite,
  startServer,
  TrellisServer,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('security'));
const KEY_A = 'e2e-key-alpha-0123456789';
const KEY_B = 'e2e-key-bravo-9876543210';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('HTTP security', () => {
  describe('with API keys', () => {
    const suite = serverPerSuite(mongoUri, { TRELLIS_API_KEYS: `${KEY_A},${KEY_B}` });
    let api: string;

    beforeAll(async () => {
      api = suite.url;
    }, 60_000);

    it('answers 401 UNAUTHORIZED without an Authorization header', async () => {
      for (const path of ['/graphs', '/executions', '/stats', '/metrics']) {
        expectError(await request(`${api}${path}`), 401, 'UNAUTHORIZED');
      }
      expectError(
        await request(`${api}/graphs/validate`, {
          body: { name: 'x', nodes: [{ id: 'a', type: 'SYNCHRONIZATION' }] },
        }),
        401,
        'UNAUTHORIZED',
      );
    });

    it('answers 401 UNAUTHORIZED for a wrong key, a key prefix, or another scheme', async () => {
      for (const authorization of [
        'Bearer e2e-key-alpha-0123456780',
        `Bearer ${KEY_A.slice(0, -1)}`,
        `Basic ${Buffer.from(`user:${KEY_A}`).toString('base64')}`,
        KEY_A,
      ]) {
        const res = await request(`${api}/graphs`, { headers: { authorization } });
        expectError(res, 401, 'UNAUTHORIZED');
      }
    });

    it('accepts either configured key', async () => {
      const a = await request(`${api}/graphs`, { headers: bearer(KEY_A) });
      const b = await request(`${api}/executions`, { headers: bearer(KEY_B) });

      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
    });

    it('serves /health without a key', async () => {
      const res = await request(`${api}/health`);

      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });

    it('serves the OpenAPI document without a key (it holds no data) but no API route', async () => {
      const docs = await request(`${api}/docs-json`);
      const api_ = await request(`${api}/graphs`);

      expect(docs.status).toBe(200);
      expect(docs.body.components.securitySchemes.bearer).toBeDefined();
      expectError(api_, 401, 'UNAUTHORIZED');
    });

    it('sets the helmet headers, on errors too', async () => {
      for (const res of [
        await request(`${api}/graphs`, { headers: bearer(KEY_A) }),
        await request(`${api}/graphs`),
      ]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toEqual(expect.any(String));
        expect(res.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('echoes a sane X-Request-Id, and makes one up otherwise', async () => {
      const given = await request(`${api}/graphs`, {
        headers: { ...bearer(KEY_A), 'x-request-id': 'e2e-trace-42' },
      });
      const none = await request(`${api}/graphs`, { headers: bearer(KEY_A) });
      const insane = await request(`${api}/graphs`, {
        headers: { ...bearer(KEY_A), 'x-request-id': 'two words' },
      });

      expect(given.headers.get('x-request-id')).toBe('e2e-trace-42');
      expect(none.headers.get('x-request-id')).toMatch(UUID);
      expect(insane.headers.get('x-request-id')).toMatch(UUID);
    });

    it('keeps the key out of the logs', () => {
      const logs = suite.server.logs().join('\n');

      expect(logs).toContain('e2e-trace-42');
      expect(logs).not.toContain(KEY_A);
      expect(logs).not.toContain(KEY_B);
    });
  });

  describe('without API keys, rate limited to 5 requests a minute', () => {
    let server: TrellisServer;
    let api: string;

    beforeAll(async () => {
      server = await startServer({ TRELLIS_RATE_LIMIT: '5' });
      api = server.url;
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    it('logs at startup that authentication is off and it listens on loopback only', () => {
      const lines = server.logs().filter((line) => /authentication is off/i.test(line));

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/loopback/i);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('answers the sixth request within a minute with 429 RATE_LIMITED and Retry-After', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(`${api}/graphs`)).status);

      const sixth = await request(`${api}/graphs`);

      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expectError(sixth, 429, 'RATE_LIMITED');
      const retryAfter = Number(sixth.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });
  });

  describe('startup configuration', () => {
    it('refuses HOST=0.0.0.0 without API keys: exits non-zero naming HOST', async () => {
      const result = await runServerToExit({ HOST: '0.0.0.0' });

      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/\bHOST\b/);
      expect(result.stdout).not.toMatch(/Trellis listening/);
    }, 30_000);

    it('refuses TRELLIS_MAX_WORKERS=abc: exits non-zero naming the variable', async () => {
      const result = await runServerToExit({ TRELLIS_MAX_WORKERS: 'abc' });

      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/TRELLIS_MAX_WORKERS/);
      expect(result.stdout).not.toMatch(/Trellis listening/);
    }, 30_000);

    it('refuses an API key shorter than 16 characters, naming the variable but not the keys', async () => {
      const result = await runServerToExit({ TRELLIS_API_KEYS: `${KEY_A},short-key` });

      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/TRELLIS_API_KEYS/);
      // NOTE: the startup error goes to the logs; a secret (even a valid one) must not.
      const output = result.stdout + result.stderr;
      expect(output).not.toContain(KEY_A);
      expect(output).not.toContain('short-key');
    }, 30_000);
  });
});
