/** An answer of the server, its body parsed when it is JSON. */
export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One request with Node's fetch (undici: connections kept alive), a JSON body when `body` is
 * given; the answer's body is read whole and parsed when it is JSON.
 * @throws Error on a network failure or after `timeoutMs`.
 */
export async function httpJson<T = any>(
  url: string,
  options: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpAnswer<T>> {
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: options.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // NOTE: not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** The `end` event of an execution's stream, and when it arrived. */
export interface StreamEnd {
  /** The execution's final status, as the event says. */
  status: string;
  /** Date.now() when the event was read. */
  receivedAt: number;
  /** Events before it (transitions). */
  events: number;
}

/**
 * Follows `GET /executions/:id/events` (text/event-stream) until its `end` event.
 * @throws Error when the stream closes without one, or after `timeoutMs`.
 */
export async function waitForStreamEnd(
  baseUrl: string,
  executionId: string,
  timeoutMs: number,
): Promise<StreamEnd> {
  const response = await fetch(`${baseUrl}/executions/${executionId}/events`, {
    headers: { accept: 'text/event-stream' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) throw new Error(`events of ${executionId}: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffered = '';
  let events = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, cut);
      buffered = buffered.slice(cut + 2);
      const lines = block.split('\n');
      if (!lines.includes('event: end')) {
        if (lines.some((l) => l.startsWith('data:'))) events++;
        continue;
      }
      const receivedAt = Date.now();
      const data =
        lines
          .find((l) => l.startsWith('data:'))
          ?.slice(5)
          .trim() ?? '{}';
      // NOTE: returning from the loop cancels the stream (the iterator's return()).
      return {
        status: (JSON.parse(data) as { status?: string }).status ?? '?',
        receivedAt,
        events,
      };
    }
  }
  throw new Error(`the events of ${executionId} closed without an end event`);
}
