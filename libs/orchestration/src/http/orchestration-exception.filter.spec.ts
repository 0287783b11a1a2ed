import {
  BadRequestException,
  Controller,
  Get,
  HttpException,
  INestApplication,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
  UseFilters,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ThrottlerException } from '@nestjs/throttler';
import {
  CycleDetectedError,
  ExecutionCancelledError,
  GraphExecutionHalt,
  GraphProblem,
  GraphValidationError,
  InvalidStateError,
  NodeExecutionError,
  NodeTypeUnknownError,
  NotFoundError,
  OrchestrationError,
  OrchestrationStallError,
  OverloadedError,
  OwnershipLostError,
  StateTransitionError,
  StoreRejectedError,
  StoreUnavailableError,
} from '../errors';
import { ERROR_STATUS } from './error-status.table';
import {
  OrchestrationExceptionFilter,
  retryAfterSeconds,
  toErrorBody,
} from './orchestration-exception.filter';
import { RequestRejectedError } from './request-rejected.error';

const SECRET = 'mongodb://admin:hunter2@db.internal:27017';

describe('toErrorBody', () => {
  describe('library errors', () => {
    it('answers a GraphValidationError with 400 GRAPH_INVALID and every problem as details', () => {
      const problems: GraphProblem[] = [
        {
          code: 'CYCLE',
          path: 'nodes[2].dependsOn',
          nodeId: 'c',
          message: 'cycle: a -> b -> c -> a',
          cycle: ['a', 'b', 'c', 'a'],
        },
        {
          code: 'UNKNOWN_DEPENDENCY',
          path: 'nodes[3].dependsOn[0]',
          nodeId: 'd',
          message: 'node d depends on unknown node x',
        },
      ];
      const body = toErrorBody(new GraphValidationError(problems));
      expect(body).toEqual({
        statusCode: 400,
        code: 'GRAPH_INVALID',
        message: expect.stringContaining('node d depends on unknown node x'),
        details: problems,
      });
      expect(body).not.toHaveProperty('state');
    });

    it('answers a CycleDetectedError with 400 GRAPH_CYCLE and the cycle in its detail', () => {
      const body = toErrorBody(
        new CycleDetectedError([
          { code: 'CYCLE', nodeId: 'a', message: 'cycle: a -> b -> a', cycle: ['a', 'b', 'a'] },
        ]),
      );
      expect(body).toMatchObject({
        statusCode: 400,
        code: 'GRAPH_CYCLE',
        details: [{ code: 'CYCLE', cycle: ['a', 'b', 'a'] }],
      });
    });

    it.each([
      ['graph', 'GRAPH_NOT_FOUND'],
      ['execution', 'EXECUTION_NOT_FOUND'],
      ['node', 'NODE_NOT_FOUND'],
    ] as const)('answers a NotFoundError of a %s with 404 %s', (entity, code) => {
      expect(toErrorBody(new NotFoundError(entity, '674f1c2e9b1e8a0012345678'))).toEqual({
        statusCode: 404,
        code,
        message: `No ${entity} with id 674f1c2e9b1e8a0012345678`,
        details: [],
      });
    });

    it('answers an InvalidStateError with 409 INVALID_STATE and the state it did not fit', () => {
      expect(toErrorBody(new InvalidStateError('Execution has ended', 'completed'))).toEqual({
        statusCode: 409,
        code: 'INVALID_STATE',
        message: 'Execution has ended',
        details: [],
        state: 'completed',
      });
    });

    it('answers a StateTransitionError with 409 STATE_TRANSITION_INVALID and state = from', () => {
      const body = toErrorBody(new StateTransitionError('node', 'completed', 'running', 'build'));
      expect(body).toMatchObject({
        statusCode: 409,
        code: 'STATE_TRANSITION_INVALID',
        state: 'completed',
        details: [],
      });
    });

    it('answers a RequestRejectedError with the status of its code and its details', () => {
      const details = [{ path: 'id', code: 'isId', message: 'id must be a 24-character hex id' }];
      expect(toErrorBody(new RequestRejectedError('INVALID_ID', 'bad id', details))).toEqual({
        statusCode: 400,
        code: 'INVALID_ID',
        message: 'bad id',
        details,
      });
      expect(toErrorBody(new RequestRejectedError('UNAUTHORIZED', 'no key')).statusCode).toBe(401);
      expect(toErrorBody(new RequestRejectedError('BODY_TOO_DEEP', 'deep')).statusCode).toBe(400);
      expect(toErrorBody(new RequestRejectedError('FORBIDDEN_KEY', '$')).statusCode).toBe(400);
    });

    it('names the execution a creation left unconfirmed in its 503', () => {
      const timedOut = new StoreUnavailableError('The state store did not answer within 750 ms');
      const id = '0123456789abcdef01234567';
      const body = toErrorBody(StoreUnavailableError.unconfirmed(id, timedOut));
      expect(body).toMatchObject({ statusCode: 503, code: 'STORE_UNAVAILABLE', executionId: id });
      expect(body.message).toContain(`Execution ${id} was not confirmed`);
      expect(toErrorBody(timedOut)).not.toHaveProperty('executionId');
    });

    it('answers an OrchestrationError with a code outside the union as a bare 500 INTERNAL_ERROR', () => {
      // NOTE: the compiler refuses such a code; a JavaScript caller or a widened subclass can still make one.
      const body = toErrorBody(new OrchestrationError<string>('SOMETHING_NEW', `lost ${SECRET}`));
      expect(body).toEqual({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
        details: [],
      });
    });

    it('does not expose a node failure that escapes to a request (unmapped code)', () => {
      const error = new NodeExecutionError(`cannot reach ${SECRET}`, { details: { SECRET } });
      const body = toErrorBody(error);
      expect(body.statusCode).toBe(500);
      expect(body.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(body)).not.toContain('hunter2');
    });

    it('answers a node failure whose code reads like a request code with 500, not that status', () => {
      const error = new NodeExecutionError('rule broken', { code: 'VALIDATION_FAILED' });
      expect(toErrorBody(error)).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
    });

    it('answers a GraphValidationError that lists only the first problems with a last detail giving the total', () => {
      const problems: GraphProblem[] = Array.from({ length: 100 }, (_, i) => ({
        code: 'UNKNOWN_DEPENDENCY',
        path: `nodes[0].dependsOn[${i}]`,
        nodeId: 'a',
        message: `node a depends on unknown node ghost${i}`,
      }));
      const body = toErrorBody(new GraphValidationError(problems, { total: 200_000 }));
      expect(body.statusCode).toBe(400);
      expect(body.message).toContain('200000 problems, the first 100 listed');
      expect(body.details).toHaveLength(101);
      expect(body.details[100]).toEqual({
        code: 'PROBLEMS_TRUNCATED',
        message: '199900 more problems not listed: 200000 in all, the first 100 above',
      });
    });

    it('adds no truncation detail when every problem is listed', () => {
      const problems: GraphProblem[] = [
        { code: 'NODE_INVALID', message: 'nodes[0] must be an object' },
      ];
      expect(toErrorBody(new GraphValidationError(problems)).details).toEqual(problems);
    });

    it.each([
      [
        'StoreUnavailableError',
        new StoreUnavailableError('store did not answer in 1000 ms'),
        503,
        'STORE_UNAVAILABLE',
      ],
      ['OverloadedError', new OverloadedError('too many executions running'), 503, 'OVERLOADED'],
      [
        'OwnershipLostError',
        new OwnershipLostError('674f1c2e9b1e8a0012345678'),
        409,
        'OWNERSHIP_LOST',
      ],
      ['NodeTypeUnknownError', new NodeTypeUnknownError('DEPLOY'), 409, 'NODE_TYPE_UNKNOWN'],
      [
        'StoreRejectedError',
        new StoreRejectedError('journal page over 16 MiB'),
        422,
        'STORE_REJECTED',
      ],
    ] as const)('answers a %s with %i %s and its message', (_name, error, statusCode, code) => {
      expect(toErrorBody(error)).toEqual({ statusCode, code, message: error.message, details: [] });
    });

    it.each([
      ['ExecutionCancelledError', new ExecutionCancelledError('user asked')],
      ['GraphExecutionHalt', new GraphExecutionHalt('critical node build failed', 'build')],
      ['OrchestrationStallError', new OrchestrationStallError('e1', 'no progress')],
    ])(
      'answers a %s (an execution end, never an answer) that escapes with a bare 500',
      (_name, error) => {
        expect(toErrorBody(error)).toEqual({
          statusCode: 500,
          code: 'INTERNAL_ERROR',
          message: 'Internal server error',
          details: [],
        });
      },
    );

    it('gives a status to the codes the engine work relies on', () => {
      expect(ERROR_STATUS).toMatchObject({
        STORE_UNAVAILABLE: 503,
        OVERLOADED: 503,
        OWNERSHIP_LOST: 409,
        NODE_TYPE_UNKNOWN: 409,
        STORE_REJECTED: 422,
        UNSUPPORTED_MEDIA_TYPE: 415,
      });
    });
  });

  describe('Nest and body-parser exceptions', () => {
    it('answers an UnauthorizedException with 401 UNAUTHORIZED', () => {
      expect(toErrorBody(new UnauthorizedException())).toMatchObject({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: 'Unauthorized',
        details: [],
      });
    });

    it("answers the router's NotFoundException with 404 ROUTE_NOT_FOUND", () => {
      expect(toErrorBody(new NotFoundException('Cannot GET /nope'))).toEqual({
        statusCode: 404,
        code: 'ROUTE_NOT_FOUND',
        message: 'Cannot GET /nope',
        details: [],
      });
    });

    it('answers a ThrottlerException with 429 RATE_LIMITED', () => {
      expect(toErrorBody(new ThrottlerException())).toMatchObject({
        statusCode: 429,
        code: 'RATE_LIMITED',
      });
    });

    it('answers a 400 whose cause is a SyntaxError with MALFORMED_JSON', () => {
      let cause: SyntaxError;
      try {
        JSON.parse('{"name": ');
        throw new Error('unreachable');
      } catch (error) {
        cause = error as SyntaxError;
      }
      const body = toErrorBody(new BadRequestException(cause.message, { cause }));
      expect(body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON', details: [] });
      expect(body.message).toMatch(/^The request body is not valid JSON: /);
    });

    it('answers a plain BadRequestException with 400 BAD_REQUEST, not MALFORMED_JSON', () => {
      expect(toErrorBody(new BadRequestException('nope'))).toMatchObject({
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'nope',
      });
    });

    it("lists the messages of Nest's default ValidationPipe answer as details", () => {
      const exception = new BadRequestException(['name must be a string', 'limit must be ≤ 100']);
      expect(toErrorBody(exception)).toMatchObject({
        statusCode: 400,
        code: 'BAD_REQUEST',
        details: [{ message: 'name must be a string' }, { message: 'limit must be ≤ 100' }],
      });
    });

    it('answers a failed health check with 503 UNAVAILABLE, each failing indicator a detail', () => {
      const report = {
        status: 'error',
        info: {},
        error: { store: { status: 'down', message: 'no answer within 3000 ms' } },
        details: { store: { status: 'down', message: 'no answer within 3000 ms' } },
      };
      const body = toErrorBody(new ServiceUnavailableException(report));
      expect(body).toEqual({
        statusCode: 503,
        code: 'UNAVAILABLE',
        message: 'Health check failed',
        details: [{ path: 'store', message: JSON.stringify(report.error.store) }],
      });
    });

    it('answers a body-parser entity.too.large error with 413 PAYLOAD_TOO_LARGE', () => {
      const error = Object.assign(new Error('request entity too large'), {
        type: 'entity.too.large',
        status: 413,
        statusCode: 413,
        expose: true,
      });
      expect(toErrorBody(error)).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than the limit',
        details: [],
      });
    });

    it('answers a body-parser entity.parse.failed error with 400 MALFORMED_JSON', () => {
      const error = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
        type: 'entity.parse.failed',
        status: 400,
      });
      expect(toErrorBody(error)).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    });

    it('answers an HttpException mapped from a 413 http-error with PAYLOAD_TOO_LARGE', () => {
      expect(toErrorBody(new HttpException('request entity too large', 413))).toMatchObject({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
      });
    });

    it('answers a 500 HttpException with INTERNAL_ERROR and without its message', () => {
      const body = toErrorBody(new InternalServerErrorException(`pool lost ${SECRET}`));
      expect(body).toEqual({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
        details: [],
      });
    });

    it('answers a 5xx body-parser error with INTERNAL_ERROR and without its message', () => {
      const error = Object.assign(new Error(`stream is not readable at ${SECRET}`), {
        type: 'stream.not.readable',
        status: 500,
        statusCode: 500,
        expose: false,
      });
      const body = toErrorBody(error);
      expect(body.statusCode).toBe(500);
      expect(body.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(body)).not.toContain('hunter2');
    });
  });

  describe('retryAfterSeconds', () => {
    it('rounds retryAfterMs up to whole seconds, at least 1', () => {
      expect(retryAfterSeconds(new StoreUnavailableError('down', { retryAfterMs: 1500 }))).toBe(2);
      expect(retryAfterSeconds(new OverloadedError('busy', { retryAfterMs: 3000 }))).toBe(3);
      expect(retryAfterSeconds(new OverloadedError('busy', { retryAfterMs: 1 }))).toBe(1);
      expect(retryAfterSeconds(new OverloadedError('busy', { retryAfterMs: 0 }))).toBe(1);
    });

    it('is undefined for an error without a usable retryAfterMs', () => {
      expect(retryAfterSeconds(new OverloadedError('busy'))).toBeUndefined();
      expect(retryAfterSeconds(new NotFoundError('graph', 'g'))).toBeUndefined();
      expect(retryAfterSeconds({ retryAfterMs: Number.NaN })).toBeUndefined();
      expect(retryAfterSeconds(null)).toBeUndefined();
    });
  });

  describe('anything else', () => {
    it('answers an unknown Error with 500 INTERNAL_ERROR, neither its message nor a stack', () => {
      const error = new TypeError(`Cannot read properties of undefined (${SECRET})`);
      const body = toErrorBody(error);
      expect(body).toEqual({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
        details: [],
      });
      const text = JSON.stringify(body);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('TypeError');
      expect(text).not.toContain(error.stack!.split('\n')[1].trim());
    });

    it.each([
      ['a string', 'boom'],
      ['null', null],
      ['undefined', undefined],
      ['a plain object', { message: SECRET }],
      ['an object with a non-numeric status', { type: 'entity.too.large', status: '413' }],
    ])('answers %s thrown with 500 INTERNAL_ERROR', (_what, thrown) => {
      expect(toErrorBody(thrown)).toEqual({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
        details: [],
      });
    });
  });
});

@Controller('boom')
@UseFilters(OrchestrationExceptionFilter)
class BoomController {
  @Get('error')
  error(): never {
    throw new Error(`connection string ${SECRET}`);
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundError('execution', '674f1c2e9b1e8a0012345678');
  }

  @Get('conflict')
  conflict(): never {
    throw new InvalidStateError('Execution has ended', 'failed');
  }

  @Get('store-down')
  storeDown(): never {
    throw new StoreUnavailableError('The store did not answer', {
      retryAfterMs: 1200,
      cause: new Error(`connection lost to ${SECRET}`),
    });
  }

  @Get('overloaded')
  overloaded(): never {
    throw new OverloadedError('Too many executions are running');
  }
}

describe('OrchestrationExceptionFilter over HTTP', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [BoomController],
      providers: [OrchestrationExceptionFilter],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  it('answers an unexpected error with a 500 body that holds neither the message nor a stack', async () => {
    const response = await fetch(`${base}/boom/error`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
      details: [],
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('.ts:');
  });

  it('answers a library error with its status and code as JSON', async () => {
    const response = await fetch(`${base}/boom/missing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ code: 'EXECUTION_NOT_FOUND' });
  });

  it('answers a 409 with the state', async () => {
    const response = await fetch(`${base}/boom/conflict`);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'INVALID_STATE', state: 'failed' });
  });

  it('answers an error carrying retryAfterMs with Retry-After in whole seconds, rounded up', async () => {
    const response = await fetch(`${base}/boom/store-down`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      statusCode: 503,
      code: 'STORE_UNAVAILABLE',
      message: 'The store did not answer',
      details: [],
    });
    expect(text).not.toContain('hunter2');
  });

  it('sets no Retry-After when the error carries no retryAfterMs', async () => {
    const response = await fetch(`${base}/boom/overloaded`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toMatchObject({ code: 'OVERLOADED' });
  });
});

describe('OrchestrationExceptionFilter after a response started', () => {
  it('only ends the response (an SSE stream cannot carry an error body)', async () => {
    const module = await Test.createTestingModule({
      providers: [OrchestrationExceptionFilter],
    }).compile();
    const filter = module.get(OrchestrationExceptionFilter);
    const adapterHost = module.get(HttpAdapterHost);
    const response = {
      headersSent: true,
      ended: false,
      body: undefined as unknown,
      end: () => (response.ended = true),
    };
    adapterHost.httpAdapter = {
      reply: (_response: unknown, body: unknown) => (response.body = body),
    } as never;
    const host = {
      switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }),
    };
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      filter.catch(new Error('store went away'), host as never);
    } finally {
      jest.restoreAllMocks();
    }
    expect(response.ended).toBe(true);
    expect(response.body).toBeUndefined();
    await module.close();
  });
});
