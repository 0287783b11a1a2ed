import type { Durability } from '../libs/orchestration/src';
import { envChoice, envInt, envList } from './bench-env';

/** One open-loop load: `rate` executions started per second for `seconds`. */
export interface LoadSpec {
  rate: number;
  seconds: number;
}

/** Settings of the suites that drive the real server over HTTP. */
export interface HttpConfig {
  /** `auto`: run `npm run build` when dist/src/main.js is missing or older than src/ or libs/. */
  build: 'auto' | 'always' | 'never';
  /** The server's LOG_LEVEL (`warn`: no line per request). */
  logLevel: string;
  /** Untimed then timed submissions of each real-world-shaped graph. */
  shapeWarmup: number;
  shapeRuns: number;
  /** The server's TRELLIS_DURABILITY for each pass over the graphs (`durable` is judged). */
  shapeModes: Durability[];
  /** The sustained load, judged against the targets. */
  load: LoadSpec;
  /** A load clearly beyond capacity (null: skipped). */
  overload: LoadSpec | null;
  /** Concurrent sender loops sharing the arrivals. */
  senders: number;
  /** How long after the load every accepted execution must be complete. */
  settleMs: number;
  /** How much longer the completion check goes on, to see when late executions end. */
  checkExtraMs: number;
  /** TRELLIS_RATE_LIMIT of the server (requests per minute per client). */
  rateLimit: number;
  /** A request without an answer after this long counts as an error. */
  requestTimeoutMs: number;
  /** How often GET /stats and the server's RSS are sampled during a load (0: only at the end). */
  sampleEveryMs: number;
  /** More server environment for every HTTP suite (to try settings; the defaults are measured). */
  serverEnv: Record<string, string>;
}

/**
 * Reads the HTTP settings:
 *
 * - BENCH_BUILD=auto|always|never, BENCH_SERVER_LOG_LEVEL=warn
 * - BENCH_SHAPES_WARMUP=1, BENCH_SHAPES_RUNS=3, BENCH_SHAPES_MODES=durable,write-behind
 * - BENCH_LOAD_RATE=200, BENCH_LOAD_SECONDS=60, BENCH_LOAD_SENDERS=4, BENCH_LOAD_SETTLE_S=10,
 *   BENCH_LOAD_CHECK_EXTRA_S=20 (the completion check goes on this long past the settle window),
 *   BENCH_LOAD_SAMPLE_MS=1000 (GET /stats and RSS sampling period; 0: only once, at the end)
 * - BENCH_OVERLOAD_RATE=1000, BENCH_OVERLOAD_SECONDS=10 (0: skip the overload run)
 * - BENCH_SERVER_RATE_LIMIT=10000000 (so the throttler does not hide the engine's capacity),
 *   BENCH_REQUEST_TIMEOUT_S=30
 * - BENCH_SERVER_ENV="TRELLIS_MAX_WORKERS=1000 TRELLIS_DURABILITY=write-behind": more server
 *   environment (space-separated NAME=value), to try settings; unset by default
 */
export function readHttpConfig(): HttpConfig {
  const overload = {
    rate: envInt('BENCH_OVERLOAD_RATE', 1000),
    seconds: envInt('BENCH_OVERLOAD_SECONDS', 10),
  };
  return {
    build: envChoice('BENCH_BUILD', ['auto', 'always', 'never'] as const, 'auto'),
    logLevel: envChoice(
      'BENCH_SERVER_LOG_LEVEL',
      ['debug', 'info', 'warn', 'error'] as const,
      'warn',
    ),
    shapeWarmup: envInt('BENCH_SHAPES_WARMUP', 1),
    shapeRuns: envInt('BENCH_SHAPES_RUNS', 3, 1),
    shapeModes: envList('BENCH_SHAPES_MODES', 'durable,write-behind').filter(
      (m): m is Durability => m === 'durable' || m === 'write-behind',
    ),
    load: {
      rate: envInt('BENCH_LOAD_RATE', 200, 1),
      seconds: envInt('BENCH_LOAD_SECONDS', 60, 1),
    },
    overload: overload.rate > 0 && overload.seconds > 0 ? overload : null,
    senders: envInt('BENCH_LOAD_SENDERS', 4, 1),
    settleMs: envInt('BENCH_LOAD_SETTLE_S', 10) * 1000,
    checkExtraMs: envInt('BENCH_LOAD_CHECK_EXTRA_S', 20) * 1000,
    rateLimit: envInt('BENCH_SERVER_RATE_LIMIT', 10_000_000, 1),
    requestTimeoutMs: envInt('BENCH_REQUEST_TIMEOUT_S', 30, 1) * 1000,
    sampleEveryMs: envInt('BENCH_LOAD_SAMPLE_MS', 1000),
    serverEnv: Object.fromEntries(
      (process.env.BENCH_SERVER_ENV ?? '')
        .split(/\s+/)
        .filter((pair) => pair.includes('='))
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
  };
}
