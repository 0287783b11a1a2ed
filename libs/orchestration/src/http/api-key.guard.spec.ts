import { Controller, Get, INestApplication, UseFilters } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ApiKeyGuard } from './api-key.guard';
import { OrchestrationHttpOptions } from './http-options.interface';
import { TRELLIS_HTTP_OPTIONS } from './http.module-definition';
import { Operator } from './operator.decorator';
import { OrchestrationExceptionFilter } from './orchestration-exception.filter';
import { Public } from './public.decorator';

const KEY_A = 'key-a-0123456789abcdef';
const KEY_B = 'key-b-fedcba9876543210';
const OPS_SECRET = 'ops-secret-0123456789';
const CI_SECRET = 'ci-secret-9876543210';

@Controller()
@UseFilters(OrchestrationExceptionFilter)
class GuardedController {
  @Get('stats')
  stats() {
    return { ok: true };
  }

  @Get('whoami')
  whoami(@Operator() operator: string) {
    return { operator };
  }

  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }
}

@Controller('open')
@Public()
@UseFilters(OrchestrationExceptionFilter)
class OpenController {
  @Get()
  open() {
    return { open: true };
  }
}

interface Server {
  app: INestApplication;
  guard: ApiKeyGuard;
  get(path: string, authorization?: string): Promise<{ status: number; body: any }>;
}

async function serve(options: OrchestrationHttpOptions): Promise<Server> {
  const module = await Test.createTestingModule({
    controllers: [GuardedController, OpenController],
    providers: [
      { provide: TRELLIS_HTTP_OPTIONS, useValue: options },
      ApiKeyGuard,
      OrchestrationExceptionFilter,
      { provide: APP_GUARD, useExisting: ApiKeyGuard },
    ],
  }).compile();
  const app = module.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return {
    app,
    guard: app.get(ApiKeyGuard),
    async get(path, authorization) {
      const response = await fetch(`${base}${path}`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

describe('ApiKeyGuard', () => {
  describe('with no key configured', () => {
    let server: Server;
    beforeAll(async () => (server = await serve({})));
    afterAll(() => server.app.close());

    it('is disabled and lets every request through', async () => {
      expect(server.guard.enabled).toBe(false);
      expect(await server.get('/stats')).toEqual({ status: 200, body: { ok: true } });
      expect((await server.get('/stats', 'Bearer anything-at-all')).status).toBe(200);
    });

    it('names the operator anonymous', async () => {
      expect((await server.get('/whoami')).body).toEqual({ operator: 'anonymous' });
      expect((await server.get('/whoami', 'Bearer anything-at-all')).body).toEqual({
        operator: 'anonymous',
      });
    });
  });

  describe('with only empty keys configured', () => {
    let server: Server;
    beforeAll(async () => (server = await serve({ apiKeys: ['', ''] })));
    afterAll(() => server.app.close());

    it('treats them as none and lets requests through', async () => {
      expect(server.guard.enabled).toBe(false);
      expect((await server.get('/stats')).status).toBe(200);
    });
  });

  describe('with two keys configured', () => {
    let server: Server;
    beforeAll(async () => (server = await serve({ apiKeys: [KEY_A, KEY_B] })));
    afterAll(() => server.app.close());

    it('answers 401 UNAUTHORIZED when the Authorization header is missing', async () => {
      expect(await server.get('/stats')).toEqual({
        status: 401,
        body: {
          statusCode: 401,
          code: 'UNAUTHORIZED',
          message: 'An API key is required: Authorization: Bearer <key>',
          details: [],
        },
      });
    });

    it('answers 401 UNAUTHORIZED for another scheme than Bearer', async () => {
      const basic = `Basic ${Buffer.from(`user:${KEY_A}`).toString('base64')}`;
      expect(await server.get('/stats', basic)).toMatchObject({
        status: 401,
        body: { code: 'UNAUTHORIZED' },
      });
      expect((await server.get('/stats', KEY_A)).status).toBe(401);
    });

    it('answers 401 UNAUTHORIZED for a key that is not configured', async () => {
      expect(await server.get('/stats', 'Bearer key-c-not-configured-000')).toEqual({
        status: 401,
        body: {
          statusCode: 401,
          code: 'UNAUTHORIZED',
          message: 'The API key is not valid',
          details: [],
        },
      });
    });

    it('answers 401 for a prefix, an extension or a different case of a key', async () => {
      for (const given of [
        KEY_A.slice(0, -1),
        `${KEY_A}x`,
        KEY_A.toUpperCase(),
        `${KEY_A},${KEY_B}`,
      ]) {
        expect((await server.get('/stats', `Bearer ${given}`)).status).toBe(401);
      }
    });

    it('answers 401 for a Bearer header without a key', async () => {
      expect((await server.get('/stats', 'Bearer ')).status).toBe(401);
      expect((await server.get('/stats', 'Bearer')).status).toBe(401);
    });

    it('lets a request with either configured key through', async () => {
      expect(await server.get('/stats', `Bearer ${KEY_A}`)).toEqual({
        status: 200,
        body: { ok: true },
      });
      expect((await server.get('/stats', `Bearer ${KEY_B}`)).status).toBe(200);
    });

    it('accepts the scheme in any case and extra spaces around the key', async () => {
      expect((await server.get('/stats', `bearer ${KEY_A}`)).status).toBe(200);
      expect((await server.get('/stats', `Bearer   ${KEY_B}  `)).status).toBe(200);
    });

    it('lets a @Public() route through without a key', async () => {
      expect(await server.get('/health')).toEqual({ status: 200, body: { status: 'ok' } });
      expect((await server.get('/health', 'Bearer wrong-key-0000000000')).status).toBe(200);
    });

    it('lets every route of a @Public() controller through without a key', async () => {
      expect(await server.get('/open')).toEqual({ status: 200, body: { open: true } });
    });

    it('names a bare key key-<n> after its position in the list', async () => {
      expect((await server.get('/whoami', `Bearer ${KEY_A}`)).body).toEqual({ operator: 'key-1' });
      expect((await server.get('/whoami', `Bearer ${KEY_B}`)).body).toEqual({ operator: 'key-2' });
    });
  });

  describe('with name:secret keys and a bare one configured', () => {
    let server: Server;
    beforeAll(
      async () =>
        (server = await serve({ apiKeys: [`ops:${OPS_SECRET}`, KEY_A, `ci:${CI_SECRET}`] })),
    );
    afterAll(() => server.app.close());

    it('sets the name of the key used on the request', async () => {
      expect(await server.get('/whoami', `Bearer ${OPS_SECRET}`)).toEqual({
        status: 200,
        body: { operator: 'ops' },
      });
      expect((await server.get('/whoami', `Bearer ${CI_SECRET}`)).body).toEqual({ operator: 'ci' });
      expect((await server.get('/whoami', `Bearer ${KEY_A}`)).body).toEqual({ operator: 'key-2' });
    });

    it('takes the secret alone, not name:secret, as the bearer token', async () => {
      expect((await server.get('/whoami', `Bearer ops:${OPS_SECRET}`)).status).toBe(401);
      expect((await server.get('/whoami', 'Bearer ops')).status).toBe(401);
    });
  });
});
