import { EventStreamParser } from './event-stream.parser';
import { apiHeaders, apiUrl, toApiError } from './http-client';

/** What a stream reports. */
export interface EventStreamHandlers {
  onEvent(event: string, data: string, id: string | null): void;
  /** The server closed the stream after its `end` event. */
  onEnd(): void;
  /** Connected, or lost and retrying (with why). */
  onStatus(status: 'open' | 'retrying', reason?: string): void;
}

/**
 * Follows an SSE endpoint with fetch (so the API key goes in the Authorization header, never in
 * the URL), resuming with Last-Event-ID after a lost connection until the server sends `end` or
 * `signal` aborts. Resolves when it ended; rejects on an error answer (404, 401).
 */
export async function followEventStream(
  path: string,
  after: number,
  handlers: EventStreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | null = after > 0 ? String(after) : null;
  let ended = false;
  let retryMs = 2000;
  while (!signal.aborted && !ended) {
    try {
      const response = await fetch(apiUrl(path), {
        headers: apiHeaders({
          accept: 'text/event-stream',
          ...(lastId ? { 'last-event-id': lastId } : {}),
        }),
        signal,
        cache: 'no-store',
      });
      if (!response.ok) throw await toApiError(response);
      handlers.onStatus('open');
      const parser = new EventStreamParser((event, data, id) => {
        if (id !== null) lastId = id;
        if (event === 'end') ended = true;
        handlers.onEvent(event, data, id);
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      retryMs = parser.retryMs ?? retryMs;
      if (!ended) handlers.onStatus('retrying', 'the stream closed');
    } catch (error) {
      if (signal.aborted) return;
      if ((error as { status?: number }).status) throw error;
      handlers.onStatus('retrying', (error as Error).message);
    }
    if (!ended && !signal.aborted) await delay(retryMs, signal);
  }
  if (ended) handlers.onEnd();
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      done();
    });
  });
}
