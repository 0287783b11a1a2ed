import {
  Body,
  Controller,
  Get,
  MiddlewareConsumer,
  Module,
  NestModule,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { JsonContentTypeMiddleware } from './json-content-type.middleware';
import { OrchestrationExceptionFilter } from './orchestration-exception.filter';

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown) {
    return { body: body ?? null };
  }

  @Put()
  replace(@Body() body: unknown) {
    return { body: body ?? null };
  }

  @Patch()
  update(@Body() body: unknown) {
    return { body: body ?? null };
  }

  @Get()
  list() {
    return { items: [] };
  }
}

@Controller('elsewhere')
class ElsewhereController {
  @Post()
  create(@Body() body: unknown) {
    return { body: body ?? null };
  }
}

@Module({ controllers: [ThingsController, ElsewhereController] })
class ThingsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonContentTypeMiddleware).forRoutes(ThingsController);
  }
}

describe('JsonContentTypeMiddleware', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThingsModule],
      providers: [OrchestrationExceptionFilter],
    }).compile();
    // NOTE: as the server does: the JSON parser only (which reads application/json alone).
    app = moduleRef.createNestApplication<NestExpressApplication>({
      logger: false,
      bodyParser: false,
    });
    app.useBodyParser('json');
    app.useGlobalFilters(app.get(OrchestrationExceptionFilter));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  async function send(init: RequestInit & { duplex?: 'half' }, path = '/things') {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: (await response.json()) as any };
  }

  it('answers a text/plain POST body with 415 UNSUPPORTED_MEDIA_TYPE in the one error shape', async () => {
    const res = await send({
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"input": {}}',
    });

    expect(res).toEqual({
      status: 415,
      body: {
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message:
          'Request bodies must be JSON (Content-Type: application/json); this one is text/plain',
        details: [],
      },
    });
  });

  it.each([
    ['PUT', 'application/x-www-form-urlencoded', 'input=1'],
    ['PATCH', 'multipart/form-data; boundary=x', '--x--'],
    ['POST', 'application/jsonp', '{}'],
    ['POST', 'text/json', '{}'],
  ])('answers a %s with a %s body with 415', async (method, contentType, body) => {
    const res = await send({ method, headers: { 'content-type': contentType }, body });

    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body without a content type with 415', async () => {
    // NOTE: fetch sends a byte array without a Content-Type.
    const res = await send({ method: 'POST', body: new TextEncoder().encode('{}') });

    expect(res.status).toBe(415);
    expect(res.body.message).toContain('this one is untyped');
  });

  it('answers a chunked text body (Transfer-Encoding, no Content-Length) with 415', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('hello'));
        controller.close();
      },
    });

    const res = await send({
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: stream,
      duplex: 'half',
    });

    expect(res.status).toBe(415);
  });

  it('answers a +json body that no parser read with 415, rather than ignoring it', async () => {
    const res = await send({
      method: 'POST',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: '{"a": 1}',
    });

    expect(res.status).toBe(415);
    expect(res.body.message).toBe(
      'The application/merge-patch+json body was not read by the server: send it as application/json',
    );
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])(
    'passes a %s body on',
    async (contentType) => {
      const res = await send({
        method: 'POST',
        headers: { 'content-type': contentType },
        body: '{"a": 1}',
      });

      expect(res).toEqual({ status: 201, body: { body: { a: 1 } } });
    },
  );

  it('passes a POST without a body, whatever its content type says', async () => {
    const bare = await send({ method: 'POST' });
    const typed = await send({ method: 'POST', headers: { 'content-type': 'text/plain' } });

    expect(bare.status).toBe(201);
    expect(typed.status).toBe(201);
  });

  it('leaves GET requests and routes it is not applied to alone', async () => {
    const get = await send({ method: 'GET', headers: { 'content-type': 'text/plain' } });
    const elsewhere = await send(
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
      '/elsewhere',
    );

    expect(get.status).toBe(200);
    expect(elsewhere.status).toBe(201);
  });

  it('passes a +json body that a body parser read', () => {
    const next = jest.fn();
    const request = {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'content-length': '8' },
      body: { a: 1 },
    };

    new JsonContentTypeMiddleware().use(request, {}, next);

    expect(next).toHaveBeenCalledTimes(1);
  });
});
