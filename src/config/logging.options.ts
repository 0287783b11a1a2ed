import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * pino-http options: one JSON line per log entry, each request with a correlation id (the
 * caller's `X-Request-Id` when it is sane, else a UUID) that is echoed in the response and
 * bound to every log line written while the request is handled. Credentials are redacted.
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
    customProps: (req: IncomingMessage & { params?: Record<string, string> }) =>
      req.params?.id && req.url?.startsWith('/executions/') ? { executionId: req.params.id } : {},
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
