import { NodeExecutionError } from '../../errors';
import { SetupConfigDto } from './dto/setup-config.dto';
import { SetupHandler } from './setup.handler';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { LocalHttpServer } from './testing/local-http-server.fixture';
import { createNodeContext } from './testing/node-context.fixture';

describe('SetupHandler', () => {
  let server: LocalHttpServer;

  beforeEach(async () => {
    server = await LocalHttpServer.start();
  });
  afterEach(() => server.close());

  it('outputs the action result when the action succeeds', async () => {
    server.respondWith((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"seeded":3}');
    });
    const handler = await createHandler(SetupHandler);
    const { context } = createNodeContext({
      http: { url: server.url('/seed'), method: 'POST' as const, body: { users: 3 } },
    });
    const { output } = await handler.execute(context);
    expect(output).toMatchObject({ kind: 'http', ok: true, httpStatus: 200, json: { seeded: 3 } });
    expect(server.requests[0]).toMatchObject({ method: 'POST', body: '{"users":3}' });
  });

  it('fails retryably, with the result in details, when the command fails', async () => {
    const handler = await createHandler(SetupHandler, {
      allowCommands: true,
      commandAllowlist: ['/bin/false'],
    });
    const { context } = createNodeContext(
      { command: { argv: ['/bin/false'] } },
      { node: { id: 'seed-db' } },
    );
    const error = await handler.execute(context).catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({
      retryable: true,
      message: 'SETUP seed-db failed: exit code 1',
      details: { exitCode: 1 },
    });
  });

  it('refuses a command when the module does not allow commands', async () => {
    const handler = await createHandler(SetupHandler);
    const { context } = createNodeContext({ command: { argv: ['/bin/echo', 'x'] } });
    await expect(handler.execute(context)).rejects.toMatchObject({
      retryable: false,
      code: 'COMMAND_NOT_ALLOWED',
    });
  });

  describe('config', () => {
    it('accepts exactly one of http or command', () => {
      expect(
        configProblems(SetupConfigDto, { http: { url: 'http://127.0.0.1:8080/seed' } }),
      ).toEqual([]);
      expect(
        configProblems(SetupConfigDto, { command: { argv: ['make', 'seed'], env: { A: '1' } } }),
      ).toEqual([]);
      expect(configProblems(SetupConfigDto, {})).toEqual([
        'http: either http or command is required',
      ]);
      expect(
        configProblems(SetupConfigDto, {
          http: { url: 'http://a.test' },
          command: { argv: ['x'] },
        }),
      ).toEqual(['http: http cannot be combined with command']);
    });

    it('rejects unknown properties, bad URLs, an empty argv and non-string env values', () => {
      expect(
        configProblems(SetupConfigDto, { http: { url: 'ftp://a.test/x', retries: 3 } }),
      ).toEqual([
        'http.retries: property retries should not exist',
        'http.url: url must be a URL address',
      ]);
      expect(configProblems(SetupConfigDto, { command: { argv: [], env: { A: 1 } } })).toEqual([
        'command.argv: argv should not be empty',
        'command.env: env must be an object of string values',
      ]);
    });
  });
});
