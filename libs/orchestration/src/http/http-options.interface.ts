/** Options of `OrchestrationHttpModule.forRoot()`. */
export interface OrchestrationHttpOptions {
  /**
   * Accepted API keys, sent as `Authorization: Bearer <key>` and checked by `ApiKeyGuard`.
   * Default none: the guard lets every request through (bind the server to loopback then).
   */
  apiKeys?: string[];
  /** Deepest nesting a JSON body may have before it is refused with `BODY_TOO_DEEP`. Default 64. */
  maxJsonDepth?: number;
  /** How often an event stream re-reads an execution run by another instance. Default 1000 ms. */
  eventsPollMs?: number;
  /** Interval of `: keep-alive` comments on idle event streams. Default 15000 ms. */
  keepAliveMs?: number;
  /**
   * Bytes of events that may wait for a slow event-stream client before its stream is closed
   * (it resumes with Last-Event-ID). Bounds memory per client. Default 16 MiB.
   */
  maxStreamBufferBytes?: number;
}

/** `OrchestrationHttpOptions` with every default filled in. */
export type ResolvedHttpOptions = Required<OrchestrationHttpOptions>;

/** Fills in the defaults of `OrchestrationHttpOptions`. */
export function resolveHttpOptions(options: OrchestrationHttpOptions): ResolvedHttpOptions {
  return {
    apiKeys: (options.apiKeys ?? []).filter((key) => key.length > 0),
    maxJsonDepth: options.maxJsonDepth ?? 64,
    eventsPollMs: options.eventsPollMs ?? 1000,
    keepAliveMs: options.keepAliveMs ?? 15000,
    maxStreamBufferBytes: options.maxStreamBufferBytes ?? 16 * 1024 * 1024,
  };
}
