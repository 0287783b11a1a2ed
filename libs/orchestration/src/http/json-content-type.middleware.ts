import { Injectable, NestMiddleware, UnsupportedMediaTypeException } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** `application/json` or a `+json` structured suffix (`application/merge-patch+json`), any case. */
const JSON_MEDIA_TYPE = /^application\/(?:[^\s/;]+\+)?json$/i;

/** The parts of a request the check reads (an Express or plain Node request). */
interface JsonBodyRequest {
  method?: string;
  headers: IncomingHttpHeaders;
  /** Set by a body parser that read the body; undefined when none did. */
  body?: unknown;
}

/**
 * Answers 415 `UNSUPPORTED_MEDIA_TYPE` when a POST, PUT or PATCH carries a body (a
 * `Content-Length` above 0, or a `Transfer-Encoding`) that is not JSON, or that no body parser
 * read: such a body would otherwise be ignored, and the request run as if it had sent nothing.
 * A request without a body (a bare `POST .../cancel`) passes. Applied by `OrchestrationHttpModule`
 * to its own controllers only.
 */
@Injectable()
export class JsonContentTypeMiddleware implements NestMiddleware {
  /**
   * @throws UnsupportedMediaTypeException (an HttpException: middleware runs before the
   * controllers' filter, so a host without `OrchestrationExceptionFilter` registered globally
   * still answers a plain 415; with it, the answer has the one error shape and code)
   */
  use(request: JsonBodyRequest, _response: unknown, next: () => void): void {
    const problem = bodyProblem(request);
    if (problem) throw new UnsupportedMediaTypeException(problem);
    next();
  }
}

function bodyProblem(request: JsonBodyRequest): string | undefined {
  if (!METHODS_WITH_BODY.has(request.method ?? '') || !hasBody(request.headers)) return undefined;
  const contentType = request.headers['content-type'];
  const mediaType = contentType?.split(';')[0].trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    return `Request bodies must be JSON (Content-Type: application/json); this one is ${mediaType || 'untyped'}`;
  }
  if (request.body === undefined) {
    return `The ${mediaType} body was not read by the server: send it as application/json`;
  }
  return undefined;
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && Number(length) > 0;
}
