import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiRequestError, ApiUnreachableError } from '../errors';
import { ExitCode } from '../exit-code.constants';
import { TrellisApiClient } from './trellis-api.client';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server whose answers each test scripts; records the requests it got. */
async function serve(
  handler: Handler,
): Promise<{ url: string; server: Server; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, seen };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('TrellisApiClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it('sends the API key as a bearer token and the body as JSON', async () => {
    let body = '';
    const local = await serve((req, res) => {
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"id":"g1","name":"n","nodeCount":1,"createdAt":"2026-01-01T00:00:00.000Z"}');
      });
    });
    server = local.server;
    const client = new TrellisApiClient({ baseUrl: `${local.url}/`, apiKey: 'secret-key' });
    await expect(client.createGraph({ name: 'n' })).resolves.toMatchObject({ id: 'g1' });
    expect(local.seen[0].url).toBe('/graphs');
    expect(local.seen[0].headers.authorization).toBe('Bearer secret-key');
    expect(local.seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(body)).toEqual({ name: 'n' });
  });

  it('turns an error answer into an ApiRequestError with its code and details', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          statusCode: 400,
          code: 'GRAPH_INVALID',
          message: 'Graph definition has 1 problem',
          details: [{ code: 'CYCLE', path: 'nodes[0]', message: 'cycle', cycle: ['a', 'a'] }],
        }),
      );
    });
    server = local.server;
    const error = await new TrellisApiClient({ baseUrl: local.url })
      .createGraph({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: 'GRAPH_INVALID',
      exitCode: ExitCode.USAGE,
      message: 'HTTP 400 GRAPH_INVALID: Graph definition has 1 problem',
    });
    expect((error as ApiRequestError).detailLines()).toEqual([
      '  CYCLE  nodes[0]  cycle  (cycle: a -> a)',
    ]);
  });

  it('reports an error answer that is not the API shape with its status (exit 3)', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad Gateway from the proxy');
    });
    server = local.server;
    await expect(
      new TrellisApiClient({ baseUrl: local.url }).getExecution('x'),
    ).rejects.toMatchObject({
      code: 'HTTP_502',
      exitCode: ExitCode.UNAVAILABLE,
      message: 'HTTP 502 HTTP_502: Bad Gateway from the proxy',
    });
  });

  it('fails with ApiUnreachableError when nothing listens', async () => {
    const local = await serve(() => undefined);
    await close(local.server);
    await expect(new TrellisApiClient({ baseUrl: local.url }).getExecution('x')).rejects.toThrow(
      ApiUnreachableError,
    );
  });

  it('reopens a dropped event stream after the last event id and sees no event twice', async () => {
    const local = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (req.headers['last-event-id'] === undefined) {
        res.write('id: 1\nevent: transition\ndata: {"seq":1}\n\n');
        // NOTE: drop the connection once the two events are out, without ending the stream.
        res.write('id: 2\nevent: transition\ndata: {"seq":2}\n\n', () => res.socket!.destroy());
      } else {
        res.end(
          `id: 3\nevent: transition\ndata: {"after":"${String(req.headers['last-event-id'])}"}\n\n` +
            'event: end\ndata: {"status":"completed"}\n\n',
        );
      }
    });
    server = local.server;
    const client = new TrellisApiClient({ baseUrl: local.url, reconnectDelayMs: 1 });
    const events: string[] = [];
    for await (const event of client.followEvents('e1'))
      events.push(`${event.event} ${event.data}`);
    expect(events).toEqual([
      'transition {"seq":1}',
      'transition {"seq":2}',
      'transition {"after":"2"}',
      'end {"status":"completed"}',
    ]);
    expect(local.seen.map((req) => req.url)).toEqual([
      '/executions/e1/events',
      '/executions/e1/events',
    ]);
  });

  it('gives up on an event stream that keeps closing before its end', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(': nothing yet\n\n');
    });
    server = local.server;
    const client = new TrellisApiClient({ baseUrl: local.url, reconnectDelayMs: 1 });
    const follow = async () => {
      for await (const _event of client.followEvents('e1'));
    };
    await expect(follow()).rejects.toThrow('the event stream kept closing early');
    expect(local.seen).toHaveLength(6);
  });
});
