import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { StartExecutionDto } from './dto/start-execution.dto';
import { TRELLIS_HTTP_OPTIONS } from './http.module-definition';
import { JsonBodyInterceptor } from './json-body.interceptor';
import { OrchestrationExceptionFilter } from './orchestration-exception.filter';
import { ParseIdPipe } from './parse-id.pipe';
import { TrellisApi } from './trellis-api.decorator';

@TrellisApi()
@Controller('things')
class ThingsController {
  @Post()
  start(@Body() body: StartExecutionDto) {
    return { received: body, isDto: body instanceof StartExecutionDto };
  }

  @Get(':id')
  get(@Param('id', ParseIdPipe) id: string) {
    return { id };
  }
}

/** `{ a: { a: ... } }`, `depth` levels deep. */
function nested(depth: number): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) body = { a: body };
  return body;
}

describe('@TrellisApi() controllers over HTTP', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [ThingsController],
      providers: [
        { provide: TRELLIS_HTTP_OPTIONS, useValue: { maxJsonDepth: 5 } },
        JsonBodyInterceptor,
        OrchestrationExceptionFilter,
      ],
    }).compile();
    app = module.createNestApplication<NestExpressApplication>({
      logger: false,
      bodyParser: false,
    });
    // NOTE: set up the way src/main.ts does.
    app.useBodyParser('json', { limit: '2kb' });
    app.useGlobalFilters(app.get(OrchestrationExceptionFilter));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  async function post(body: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, body: await response.json() };
  }

  it('accepts a valid body as the DTO class', async () => {
    const result = await post(JSON.stringify({ input: { branch: 'main' }, idempotencyKey: 'k-1' }));
    expect(result).toEqual({
      status: 201,
      body: { received: { input: { branch: 'main' }, idempotencyKey: 'k-1' }, isDto: true },
    });
  });

  it('accepts a body nested exactly maxJsonDepth levels deep', async () => {
    const result = await post(JSON.stringify({ input: nested(4) }));
    expect(result.status).toBe(201);
  });

  it('refuses a body nested deeper than maxJsonDepth with 400 BODY_TOO_DEEP, before validation', async () => {
    // `extra` would also fail validation (not whitelisted): the depth check answers first.
    expect(await post(JSON.stringify({ extra: nested(5) }))).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        code: 'BODY_TOO_DEEP',
        message: 'The body is nested deeper than 5 levels',
        details: [],
      },
    });
  });

  it('refuses a $-prefixed key anywhere in the body with 400 FORBIDDEN_KEY', async () => {
    const result = await post(JSON.stringify({ input: { list: [{ $where: 'sleep(100)' }] } }));
    expect(result).toMatchObject({ status: 400, body: { code: 'FORBIDDEN_KEY' } });
  });

  it('refuses a DTO field that fails validation with 400 VALIDATION_FAILED naming it', async () => {
    const result = await post(JSON.stringify({ idempotencyKey: '' }));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      details: [{ path: 'idempotencyKey', code: 'isLength' }],
    });
  });

  it('refuses a field the DTO does not declare with 400 VALIDATION_FAILED', async () => {
    const result = await post(JSON.stringify({ inputs: {} }));
    expect(result).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', details: [{ path: 'inputs' }] },
    });
  });

  it('answers a body that is not JSON with 400 MALFORMED_JSON', async () => {
    const result = await post('{"input": ');
    expect(result).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON', details: [] } });
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const result = await post(JSON.stringify({ input: { blob: 'x'.repeat(4096) } }));
    expect(result).toEqual({
      status: 413,
      body: {
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.any(String),
        details: [],
      },
    });
  });

  it('refuses a malformed id in the path with 400 INVALID_ID and passes a good one', async () => {
    const bad = await fetch(`${base}/things/not-an-id`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_ID', details: [{ path: 'id' }] });
    const good = await fetch(`${base}/things/674f1c2e9b1e8a0012345678`);
    expect(await good.json()).toEqual({ id: '674f1c2e9b1e8a0012345678' });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const response = await fetch(`${base}/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, code: 'ROUTE_NOT_FOUND' });
  });
});
