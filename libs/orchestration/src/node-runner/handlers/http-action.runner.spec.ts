import { NodeExecutionError } from '../../errors';
import { HttpActionRunner } from './http-action.runner';
import { LocalHttpServer } from './testing/local-http-server.fixture';
import { waitFor } from './testing/wait-for.fixture';

const signal = () => new AbortController().signal;

describe('HttpActionRunner', () => {
  let server: LocalHttpServer;
  const runner = new HttpActionRunner();

  beforeEach(async () => {
    server = await LocalHttpServer.start();
  });
  afterEach(() => server.close());

  it('sends the method, headers and JSON body, and parses a JSON answer', async () => {
    server.respondWith((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ token: 't-1' }));
    });
    const result = await runner.run(
      {
        url: server.url('/seed?x=1'),
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: { users: 3 },
      },
      signal(),
    );
    expect(result).toMatchObject({
      kind: 'http',
      ok: true,
      httpStatus: 200,
      json: { token: 't-1' },
      outputTail: '{"token":"t-1"}',
    });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/seed?x=1',
      body: '{"users":3}',
    });
    expect(server.requests[0].headers).toMatchObject({
      authorization: 'Bearer k',
      'content-type': 'application/json',
    });
  });

  it('counts a non-2xx answer as a failed result, and expectStatus as success', async () => {
    server.respondWith((_req, res) => {
      res.statusCode = 404;
      res.end('no such user');
    });
    const failed = await runner.run({ url: server.url('/u/1') }, signal());
    expect(failed).toMatchObject({ ok: false, httpStatus: 404, outputTail: 'no such user' });
    const expected = await runner.run(
      { url: server.url('/u/1'), expectStatus: [404, 410] },
      signal(),
    );
    expect(expected.ok).toBe(true);
  });

  it('fails retryably when the connection is refused', async () => {
    const url = server.url('/');
    await server.close();
    const error = await runner.run({ url }, signal()).catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({ retryable: true, code: 'ACTION_TRANSPORT_FAILED' });
    expect(error.message).toMatch(/ECONNREFUSED/);
    server = await LocalHttpServer.start();
  });

  it('aborts the request when the signal aborts, rejecting with the reason', async () => {
    server.respondWith(() => undefined);
    const controller = new AbortController();
    const running = runner.run({ url: server.url('/slow') }, controller.signal);
    await waitFor(() => (server.requests.length > 0 ? true : undefined));
    const reason = new Error('node timed out');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitFor(() => (server.abandoned.includes('/slow') ? true : undefined));
  });

  it('refuses a body on a GET request without retrying', async () => {
    const error = await runner.run({ url: server.url('/'), body: 'x' }, signal()).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, code: 'ACTION_INVALID' });
    expect(server.requests).toHaveLength(0);
  });
});
