import { NodeExecutionError } from '../../errors';
import { ActionResult } from './action-result.interface';
import { HttpActionDto } from './dto/http-action.dto';
import { OutputTailBuffer } from './output-tail.buffer';
import { AttemptIdentity, attemptHeaders } from './attempt-identity';

/** Largest response body parsed into `ActionResult.json`: 64 KiB. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Makes an action's HTTP request with the global `fetch`, capturing status, duration and body tail. */
export class HttpActionRunner {
  /**
   * @returns the result, `ok` when the status is in `expectStatus` (default any 2xx)
   * @throws NodeExecutionError (`ACTION_INVALID`, not retryable) for an invalid URL or header, or a body with GET/HEAD
   * @throws NodeExecutionError (`ACTION_TRANSPORT_FAILED`, retryable) when no response arrives
   *   (connection refused, DNS, reset)
   * @throws the signal's reason when aborted
   */
  async run(
    http: HttpActionDto,
    signal: AbortSignal,
    attempt?: AttemptIdentity,
  ): Promise<ActionResult> {
    const method = http.method ?? 'GET';
    const target = describeTarget(method, http.url);
    const invalid = (why: string) =>
      new NodeExecutionError(`${target}: ${why}`, { retryable: false, code: 'ACTION_INVALID' });
    if (!URL.canParse(http.url)) throw invalid('url is not a valid absolute URL');
    let headers: Headers;
    try {
      headers = new Headers(http.headers);
    } catch (error) {
      throw invalid((error as Error).message);
    }
    if (attempt)
      for (const [name, value] of Object.entries(attemptHeaders(attempt))) headers.set(name, value);
    let body: string | undefined;
    if (http.body !== undefined) {
      if (method === 'GET' || method === 'HEAD')
        throw invalid(`a ${method} request cannot have a body`);
      body = typeof http.body === 'string' ? http.body : JSON.stringify(http.body);
      if (typeof http.body !== 'string' && !headers.has('content-type')) {
        headers.set('content-type', 'application/json');
      }
    }
    const started = performance.now();
    try {
      const response = await fetch(http.url, { method, headers, body, signal });
      const { tail, json } = await readBody(response);
      return {
        kind: 'http',
        ok: statusExpected(response.status, http.expectStatus),
        httpStatus: response.status,
        ...(json === undefined ? {} : { json }),
        durationMs: Math.round(performance.now() - started),
        outputTail: tail,
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new NodeExecutionError(
        `${target} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        {
          code: 'ACTION_TRANSPORT_FAILED',
          cause: error,
        },
      );
    }
  }
}

function statusExpected(status: number, expect: number | number[] | undefined): boolean {
  if (expect === undefined) return status >= 200 && status < 300;
  return Array.isArray(expect) ? expect.includes(status) : expect === status;
}

async function readBody(response: Response): Promise<{ tail: string; json?: unknown }> {
  const tail = new OutputTailBuffer();
  const head: Uint8Array[] = [];
  if (response.body) {
    for await (const chunk of response.body) {
      tail.push(chunk);
      if (tail.total <= MAX_JSON_BODY_BYTES) head.push(chunk);
    }
  }
  if (
    tail.total > MAX_JSON_BODY_BYTES ||
    !/json/i.test(response.headers.get('content-type') ?? '')
  ) {
    return { tail: tail.toString() };
  }
  try {
    return { tail: tail.toString(), json: JSON.parse(Buffer.concat(head).toString('utf8')) };
  } catch {
    return { tail: tail.toString() };
  }
}

/** `POST https://host/path`: the query string (which may carry tokens) is left out of messages. */
function describeTarget(method: string, url: string): string {
  try {
    const { origin, pathname } = new URL(url);
    return `${method} ${origin}${pathname}`;
  } catch {
    return `${method} (invalid URL)`;
  }
}
