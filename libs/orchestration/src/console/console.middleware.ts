import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConsoleAssets } from './console-assets';
import { CONSOLE_CONTENT_SECURITY_POLICY, IMMUTABLE_CACHE } from './console.constants';
import { consoleMountOf } from './console-mount';

/**
 * Serves the console under its path (and the host's global prefix, if any): `assets/<file>`
 * with long cache headers, and index.html (never cached) for every other GET, so each deep link
 * (`/console/executions/:id`) loads the app, which routes in the browser. Every answer carries the console's own strict CSP.
 */
@Injectable()
export class ConsoleMiddleware implements NestMiddleware {
  constructor(private readonly assets: ConsoleAssets) {}

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = new URL(req.url ?? '/', 'http://console').pathname;
    const mount = consoleMountOf(pathname, this.assets.options.path);
    if (!mount) return next();
    res.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const { prefix, rest } = mount;
    if (rest.startsWith('/assets/')) {
      const file = this.assets.asset(rest.slice('/assets/'.length));
      if (!file) return this.answer(req, res, 404, 'text/plain; charset=utf-8', 'Not found');
      res.setHeader('Cache-Control', IMMUTABLE_CACHE);
      return this.answer(req, res, 200, file.contentType, file.body);
    }
    const page = this.assets.index(prefix);
    if (!page) {
      return this.answer(
        req,
        res,
        503,
        'text/plain; charset=utf-8',
        'The Trellis console is not built: run `npm run build:console` (or `npm run build`).',
      );
    }
    res.setHeader('Cache-Control', 'no-cache');
    return this.answer(req, res, 200, 'text/html; charset=utf-8', page);
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    contentType: string,
    body: Buffer | string,
  ): void {
    res.statusCode = status;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
