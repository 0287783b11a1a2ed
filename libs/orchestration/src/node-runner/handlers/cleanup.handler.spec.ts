import { NodeExecutionError } from '../../errors';
import { CleanupHandler } from './cleanup.handler';
import { createHandler } from './testing/handler-module.fixture';
import { LocalHttpServer } from './testing/local-http-server.fixture';
import { createNodeContext } from './testing/node-context.fixture';

describe('CleanupHandler', () => {
  let server: LocalHttpServer;

  beforeEach(async () => {
    server = await LocalHttpServer.start();
  });
  afterEach(() => server.close());

  it('runs its action and outputs the result', async () => {
    const handler = await createHandler(CleanupHandler);
    const { context } = createNodeContext({
      http: { url: server.url('/fixtures'), method: 'DELETE' as const },
    });
    const { output } = await handler.execute(context);
    expect(output).toMatchObject({ ok: true, httpStatus: 200 });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /fixtures']);
  });

  it('fails retryably when the cleanup endpoint answers 500', async () => {
    server.respondWith((_req, res) => {
      res.statusCode = 500;
      res.end('database locked');
    });
    const handler = await createHandler(CleanupHandler);
    const { context } = createNodeContext(
      { http: { url: server.url('/fixtures'), method: 'DELETE' as const } },
      { node: { id: 'teardown' } },
    );
    const error = await handler.execute(context).catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({
      retryable: true,
      message: 'CLEANUP teardown failed: HTTP 500 (expected 2xx)',
      details: { httpStatus: 500, outputTail: 'database locked' },
    });
  });
});
