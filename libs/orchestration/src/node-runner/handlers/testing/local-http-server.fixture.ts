import { IncomingHttpHeaders, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as the server received it (body read in full). */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers a recorded request; may leave `response` open to simulate a hanging server. */
export type Responder = (request: RecordedRequest, response: ServerResponse) => void;

/** A real `node:http` server on 127.0.0.1, on a free port, recording what it receives. */
export class LocalHttpServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Paths of requests the client gave up on before a response was sent. */
  readonly abandoned: string[] = [];
  private responder: Responder = (_request, response) => response.end('ok');

  private constructor(private readonly server: Server) {}

  /** Starts a server answering `200 ok` until told otherwise. */
  static async start(): Promise<LocalHttpServer> {
    const server = createServer();
    const local = new LocalHttpServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = {
          method: req.method!,
          url: req.url!,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        local.requests.push(recorded);
        res.on('close', () => {
          if (!res.writableFinished) local.abandoned.push(recorded.url);
        });
        local.responder(recorded, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return local;
  }

  /** `http://127.0.0.1:<port>` followed by `path`. */
  url(path = '/'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Replaces how requests are answered. */
  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  /** Closes the server and any connection still open. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
