import { NodeExecutionError } from '../../errors';
import { TestExecutionConfigDto } from './dto/test-execution-config.dto';
import { TestExecutionHandler } from './test-execution.handler';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { LocalHttpServer } from './testing/local-http-server.fixture';
import { createNodeContext } from './testing/node-context.fixture';

const NODE = process.execPath;
const commandsAllowed = { allowCommands: true, commandAllowlist: [NODE] };
const printRefs =
  'console.log([process.env.TRELLIS_SUITE_ID, process.env.TRELLIS_CASE_ID, process.env.TRELLIS_ITEM_ID].join("|"))';

describe('TestExecutionHandler', () => {
  it('records a passed test with its exit code, output and references', async () => {
    const handler = await createHandler(TestExecutionHandler, commandsAllowed);
    const { context } = createNodeContext(
      { command: { argv: [NODE, '-e', printRefs] }, caseId: 'TC-42' },
      { input: { suiteId: 'S-1', itemId: 7 } },
    );
    const { output } = await handler.execute(context);
    expect(output).toMatchObject({
      status: 'passed',
      exitCode: 0,
      outputTail: 'S-1|TC-42|7\n',
      suiteId: 'S-1',
      caseId: 'TC-42',
      itemId: '7',
    });
  });

  it('prefers references from the config over the execution input', async () => {
    const handler = await createHandler(TestExecutionHandler, commandsAllowed);
    const { context } = createNodeContext(
      { command: { argv: [NODE, '-e', printRefs] }, suiteId: 'S-config' },
      { input: { suiteId: 'S-input' } },
    );
    const { output } = await handler.execute(context);
    expect(output).toMatchObject({ suiteId: 'S-config', outputTail: 'S-config||\n' });
  });

  it('fails a test that ran and failed without retry, with the result in details', async () => {
    const handler = await createHandler(TestExecutionHandler, commandsAllowed);
    const script = 'console.error("expected 200, got 500"); process.exit(1)';
    const { context } = createNodeContext(
      { command: { argv: [NODE, '-e', script] } },
      { node: { id: 'login-tests' }, input: { caseId: 'TC-1' } },
    );
    const error = await handler.execute(context).catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({
      retryable: false,
      code: 'TEST_FAILED',
      message: 'Test login-tests failed: exit code 1',
    });
    expect(error.details).toEqual({
      status: 'failed',
      exitCode: 1,
      durationMs: expect.any(Number),
      outputTail: 'expected 200, got 500\n',
      caseId: 'TC-1',
    });
  });

  it('lets a failed test be retried with retryOnFailure', async () => {
    const handler = await createHandler(TestExecutionHandler, commandsAllowed);
    const { context } = createNodeContext({
      command: { argv: [NODE, '-e', 'process.exit(2)'] },
      retryOnFailure: true,
    });
    await expect(handler.execute(context)).rejects.toMatchObject({
      retryable: true,
      details: { status: 'failed', exitCode: 2 },
    });
  });

  describe('over HTTP', () => {
    let server: LocalHttpServer;

    beforeEach(async () => {
      server = await LocalHttpServer.start();
    });
    afterEach(() => server.close());

    it('sends the references as x-trellis-* headers and records the status', async () => {
      const handler = await createHandler(TestExecutionHandler);
      const { context } = createNodeContext({
        http: { url: server.url('/run'), method: 'POST' as const },
        suiteId: 'S-1',
        caseId: 'TC-2',
      });
      const { output } = await handler.execute(context);
      expect(output).toMatchObject({
        status: 'passed',
        httpStatus: 200,
        outputTail: 'ok',
        suiteId: 'S-1',
        caseId: 'TC-2',
      });
      expect(server.requests[0].headers).toMatchObject({
        'x-trellis-suite-id': 'S-1',
        'x-trellis-case-id': 'TC-2',
      });
      expect(server.requests[0].headers).not.toHaveProperty('x-trellis-item-id');
    });

    it('records an unexpected status as a failed test', async () => {
      server.respondWith((_req, res) => {
        res.statusCode = 422;
        res.end('assertion failed: total');
      });
      const handler = await createHandler(TestExecutionHandler);
      const { context } = createNodeContext({ http: { url: server.url('/run') } });
      await expect(handler.execute(context)).rejects.toMatchObject({
        retryable: false,
        details: { status: 'failed', httpStatus: 422, outputTail: 'assertion failed: total' },
      });
    });

    it('is retryable when the test server cannot be reached', async () => {
      const url = server.url('/run');
      await server.close();
      const handler = await createHandler(TestExecutionHandler);
      const { context } = createNodeContext({ http: { url } });
      await expect(handler.execute(context)).rejects.toMatchObject({
        retryable: true,
        code: 'ACTION_TRANSPORT_FAILED',
      });
      server = await LocalHttpServer.start();
    });
  });

  describe('config', () => {
    it('accepts references and retryOnFailure next to the action', () => {
      expect(
        configProblems(TestExecutionConfigDto, {
          command: { argv: ['npx', 'jest'] },
          suiteId: 'S',
          caseId: 'C',
          itemId: 'I',
          retryOnFailure: true,
        }),
      ).toEqual([]);
    });

    it('rejects a non-boolean retryOnFailure', () => {
      expect(
        configProblems(TestExecutionConfigDto, {
          http: { url: 'https://t.test/run' },
          retryOnFailure: 'yes',
        }),
      ).toEqual(['retryOnFailure: retryOnFailure must be a boolean value']);
    });
  });
});
