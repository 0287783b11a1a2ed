import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRequestError, ApiUnreachableError } from '../errors';
import type {
  ErrorResponseDto,
  ExecutionResponseDto,
  ExecutionSummaryDto,
  GraphSummaryDto,
} from '@trellis/orchestration/http';
import { parseEventStream } from './event-stream.parser';
import { ServerSentEvent } from './server-sent-event.interface';

/** Where the server is and how to authenticate. */
export interface TrellisApiOptions {
  /** e.g. `http://127.0.0.1:3000`; a path prefix is kept. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Pause before reopening a dropped event stream. Default 1000 ms. */
  reconnectDelayMs?: number;
}

/** Times in a row the event stream is reopened after it drops before giving up. */
const STREAM_RECONNECTS = 5;

/**
 * A small client of the Trellis HTTP API (docs/HTTP-API.md) on the built-in `fetch`.
 * Every method throws `ApiRequestError` for an error answer and `ApiUnreachableError` when the
 * server does not answer.
 */
export class TrellisApiClient {
  private readonly baseUrl: string;

  constructor(private readonly options: TrellisApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** `POST /graphs`: validates and stores a graph. */
  async createGraph(definition: unknown): Promise<GraphSummaryDto> {
    const response = await this.send('POST', '/graphs', { body: definition });
    return (await response.json()) as GraphSummaryDto;
  }

  /** `GET /graphs/:id`: a stored graph. */
  async getGraph(id: string): Promise<GraphSummaryDto> {
    const response = await this.send('GET', `/graphs/${encodeURIComponent(id)}`);
    return (await response.json()) as GraphSummaryDto;
  }

  /**
   * `POST /graphs/:id/executions`. `replayed` is true when the server returned the existing
   * execution with that idempotency key instead of starting one.
   */
  async startExecution(
    graphId: string,
    body: { input?: Record<string, unknown>; idempotencyKey?: string },
  ): Promise<{ execution: ExecutionSummaryDto; replayed: boolean }> {
    const response = await this.send('POST', `/graphs/${encodeURIComponent(graphId)}/executions`, {
      body,
    });
    return {
      execution: (await response.json()) as ExecutionSummaryDto,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  }

  /** `GET /executions/:id`: the execution with its nodes. */
  async getExecution(id: string): Promise<ExecutionResponseDto> {
    const response = await this.send('GET', `/executions/${encodeURIComponent(id)}`);
    return (await response.json()) as ExecutionResponseDto;
  }

  /**
   * `GET /executions/:id/events`: every state change, oldest first, up to and including the final
   * `end` event. A dropped stream is reopened with `Last-Event-ID`, so no event is seen twice.
   */
  async *followEvents(id: string, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
    const path = `/executions/${encodeURIComponent(id)}/events`;
    let lastEventId: string | undefined;
    let failures = 0;
    for (;;) {
      try {
        const response = await this.send('GET', path, {
          headers: {
            accept: 'text/event-stream',
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          signal,
        });
        if (!response.body) throw new ApiUnreachableError(this.baseUrl, 'empty event stream');
        for await (const event of parseEventStream(response.body)) {
          failures = 0;
          if (event.id) lastEventId = event.id;
          yield event;
          if (event.event === 'end') return;
        }
      } catch (error) {
        const final = failures >= STREAM_RECONNECTS || error instanceof ApiRequestError;
        if (final || signal?.aborted) throw error;
      }
      if (++failures > STREAM_RECONNECTS) {
        throw new ApiUnreachableError(this.url(path), 'the event stream kept closing early');
      }
      await sleep(this.options.reconnectDelayMs ?? 1000, undefined, { signal });
    }
  }

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async send(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiUnreachableError(this.baseUrl, describeFetchFailure(error), { cause: error });
    }
    if (!response.ok) throw await toRequestError(response);
    return response;
  }
}

function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

async function toRequestError(response: Response): Promise<ApiRequestError> {
  const text = await response.text().catch(() => '');
  let body: Partial<ErrorResponseDto> | undefined;
  try {
    body = JSON.parse(text) as Partial<ErrorResponseDto>;
  } catch {
    body = undefined;
  }
  if (body && typeof body.code === 'string' && typeof body.message === 'string') {
    const details = Array.isArray(body.details) ? body.details : [];
    const message = body.state ? `${body.message} (state: ${body.state})` : body.message;
    return new ApiRequestError(response.status, body.code, message, details);
  }
  const summary = text.trim().slice(0, 200) || response.statusText || 'no body';
  return new ApiRequestError(response.status, `HTTP_${response.status}`, summary);
}
