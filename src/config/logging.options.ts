import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const EXECUTION_URL = /^\/executions\/([0-9a-f]{24})(?:[/?]|$)/;

/**
 * pino-http options: one JSON line per log entry, each request with a correlation id (the
 * caller's `X-Request-Id` when it is sane, else a UUID) that is echoed in the response and
 * bound to every log line written while the request is handled; requests about one execution
 * also carry its `executionId`, as the engine's node logs do. Credentials are redacted.
 */
export function pinoHttpOptions(level: string): Options {
  return {
    level,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (req: IncomingMessage) => {
      const executionId = EXECUTION_URL.exec(req.url ?? '')?.[1];
      return executionId ? { executionId } : {};
    },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
    serializers: {
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
    },
  };
}
