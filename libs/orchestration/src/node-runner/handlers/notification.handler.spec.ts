import { LoggerService } from '@nestjs/common';
import { NodeExecutionError } from '../../errors';
import { NotificationConfigDto } from './dto/notification-config.dto';
import { NotificationHandler } from './notification.handler';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { LocalHttpServer } from './testing/local-http-server.fixture';
import { createNodeContext } from './testing/node-context.fixture';

const template =
  'Suite {{ input.suiteId }}: login {{ upstream.login-tests.status }} in {{ upstream.login-tests.durationMs }} ms';
const data = {
  input: { suiteId: 'S-1' },
  upstream: { 'login-tests': { status: 'failed', durationMs: 850 } },
};

describe('NotificationHandler', () => {
  let server: LocalHttpServer;

  beforeEach(async () => {
    server = await LocalHttpServer.start();
  });
  afterEach(() => server.close());

  it('delivers the rendered message as JSON to the webhook', async () => {
    const handler = await createHandler(NotificationHandler);
    const config = {
      channel: 'webhook' as const,
      url: server.url('/hooks/qa'),
      headers: { authorization: 'Bearer k' },
      template,
    };
    const { context } = createNodeContext(config, { ...data, node: { id: 'notify' } });
    const { output } = await handler.execute(context);
    const message = 'Suite S-1: login failed in 850 ms';
    expect(output).toEqual({ channel: 'webhook', message, delivered: true, status: 200 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/hooks/qa' });
    expect(server.requests[0].headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer k',
    });
    expect(JSON.parse(server.requests[0].body)).toEqual({
      text: message,
      executionId: 'exec-1',
      graphId: 'graph-1',
      nodeId: 'notify',
    });
  });

  it('fails retryably when the webhook answers non-2xx', async () => {
    server.respondWith((_req, res) => {
      res.statusCode = 503;
      res.end('busy');
    });
    const handler = await createHandler(NotificationHandler);
    const { context } = createNodeContext(
      { channel: 'webhook' as const, url: server.url('/hook'), template },
      data,
    );
    const error = await handler.execute(context).catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({
      retryable: true,
      code: 'NOTIFICATION_FAILED',
      details: { httpStatus: 503, outputTail: 'busy' },
    });
  });

  it('writes the message to the node logger on the log channel', async () => {
    const lines: string[] = [];
    const logger: LoggerService = {
      log: (m: string) => lines.push(m),
      error: () => undefined,
      warn: () => undefined,
    };
    const handler = await createHandler(NotificationHandler);
    const { context } = createNodeContext(
      { channel: 'log' as const, template },
      { ...data, logger },
    );
    const { output } = await handler.execute(context);
    expect(output).toEqual({
      channel: 'log',
      message: 'Suite S-1: login failed in 850 ms',
      delivered: true,
    });
    expect(lines).toEqual(['Suite S-1: login failed in 850 ms']);
    expect(server.requests).toHaveLength(0);
  });

  describe('config', () => {
    it('requires a URL with the webhook channel only', () => {
      expect(configProblems(NotificationConfigDto, { channel: 'log', template: 'hi' })).toEqual([]);
      expect(
        configProblems(NotificationConfigDto, {
          channel: 'webhook',
          url: 'http://localhost:9000/hooks/qa',
          template: 'hi',
        }),
      ).toEqual([]);
      expect(configProblems(NotificationConfigDto, { channel: 'webhook', template: 'hi' })).toEqual(
        ['url: url is required with the webhook channel'],
      );
    });

    it('rejects an unknown channel and a template with a bad placeholder', () => {
      expect(
        configProblems(NotificationConfigDto, { channel: 'sms', template: 'x {{ upstream..a }}' }),
      ).toEqual([
        'channel: channel must be one of the following values: log, webhook',
        expect.stringMatching(/^template: template has an invalid placeholder: Invalid path/),
      ]);
    });
  });
});
