import type { LoadSpec } from './http.config';

/** One request of an open-loop load. */
export interface LoadRequest {
  /** Its place in the arrivals (0-based). */
  index: number;
  /** When it was due, ms after the load started. */
  dueMs: number;
  /** How late the client sent it, in ms (its own lag, e.g. a busy event loop). */
  sendLagMs: number;
  /** From when it was due until its answer was read, in ms. */
  latencyMs: number;
  /** The HTTP status; 0 when no answer came (network error or timeout). */
  status: number;
  /** The Retry-After header of the answer, if any. */
  retryAfter: string | null;
  /** The id of the execution it started (201 only). */
  executionId?: string;
  /** A 503's execution id: one whose creation the store did not confirm in time (it may exist). */
  unconfirmedId?: string;
  /** The error code of a non-201 answer, or the network error. */
  error?: string;
}

/** An open-loop load as it went. */
export interface LoadRun {
  spec: LoadSpec;
  senders: number;
  /** Date.now() when the first request was due. */
  startedAt: number;
  /** Date.now() once the last request was sent: the end of the load. */
  endedAt: number;
  /** Date.now() once the last answer came. */
  answeredAt: number;
  requests: LoadRequest[];
}

/**
 * Starts executions of `graphId` open-loop: request i is due at i / rate seconds whatever the
 * answers to the earlier ones, and is sent by sender loop i mod `senders` as soon as it is due
 * (a sender that fell behind sends what is due at once). No sender waits for an answer.
 * Latency is measured from when a request was due, so a client lagging behind its schedule
 * is not hidden.
 */
export async function runOpenLoop(
  url: string,
  graphId: string,
  spec: LoadSpec,
  senders: number,
  timeoutMs: number,
): Promise<LoadRun> {
  const total = Math.round(spec.rate * spec.seconds);
  const requests: LoadRequest[] = new Array(total);
  const answers: Promise<void>[] = [];
  const startedAt = Date.now() + 50;
  const t0 = performance.now() + 50;
  const target = `${url}/graphs/${graphId}/executions`;
  const send = (index: number, dueMs: number): Promise<void> => {
    const sentMs = performance.now() - t0;
    const record: LoadRequest = {
      index,
      dueMs,
      sendLagMs: sentMs - dueMs,
      latencyMs: Number.NaN,
      status: 0,
      retryAfter: null,
    };
    requests[index] = record;
    return fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { request: index } }),
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then(async (response) => {
        const body = (await response.json().catch(() => ({}))) as {
          id?: string;
          code?: string;
          executionId?: string;
        };
        record.latencyMs = performance.now() - t0 - dueMs;
        record.status = response.status;
        record.retryAfter = response.headers.get('retry-after');
        if (response.status === 201) record.executionId = body.id;
        else {
          record.error = body.code ?? `HTTP ${response.status}`;
          // NOTE: a 503 naming an execution: the store did not confirm it in time; it may exist.
          if (typeof body.executionId === 'string') record.unconfirmedId = body.executionId;
        }
      })
      .catch((error: Error & { cause?: { code?: string; message?: string } }) => {
        record.latencyMs = performance.now() - t0 - dueMs;
        const cause = error.cause?.code ?? error.cause?.message;
        record.error =
          error.name === 'TimeoutError'
            ? 'timeout'
            : `${error.message}${cause ? ` (${cause})` : ''}`;
      });
  };
  const sender = async (lane: number) => {
    for (let index = lane; index < total; index += senders) {
      const dueMs = (index * 1000) / spec.rate;
      const wait = dueMs - (performance.now() - t0);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      answers.push(send(index, dueMs));
    }
  };
  await Promise.all(Array.from({ length: senders }, (_, lane) => sender(lane)));
  const endedAt = Date.now();
  await Promise.all(answers);
  return { spec, senders, startedAt, endedAt, answeredAt: Date.now(), requests };
}
