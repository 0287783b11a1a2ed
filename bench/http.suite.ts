import type { BenchSuite } from './bench.config';
import { BenchFailure, benchLog } from './bench.log';
import type { HttpConfig, LoadSpec } from './http.config';
import { LoadResult, runLoad } from './load.scenario';
import { realWorldGraphs } from './real-world.graphs';
import { ensureServerBuild } from './server.build';
import { withServerSession } from './server.session';
import { ShapeResult, runShapes } from './shapes.scenario';

/** How the HTTP suites ran the server. */
export interface HttpSetup {
  build: string;
  store: string;
  /** The server's environment, MONGODB_URI left out. */
  env: Record<string, string>;
  /** Server processes that did not stop cleanly (exit code or signal), or logged errors. */
  notes: string[];
}

/** What the HTTP suites measured (null: not run). */
export interface HttpSuitesResult {
  http: HttpSetup | null;
  shapes: ShapeResult[] | null;
  load: LoadResult[] | null;
}

/**
 * Runs the suites that drive the built server (`node dist/src/main.js`) over HTTP, each server
 * on a FerretDB/SQLite of its own (MONGODB_URI when set): the real-world-shaped graphs once
 * per durability mode, then each load. Failures are recorded; the rest goes on.
 */
export async function runHttpSuites(
  config: HttpConfig,
  suites: BenchSuite[],
  failures: BenchFailure[],
): Promise<HttpSuitesResult> {
  const out: HttpSuitesResult = { http: null, shapes: null, load: null };
  if (!suites.includes('shapes') && !suites.includes('load')) return out;
  const env: Record<string, string> = {
    TRELLIS_RATE_LIMIT: String(config.rateLimit),
    LOG_LEVEL: config.logLevel,
    ...config.serverEnv,
  };
  try {
    const build = ensureServerBuild(config.build);
    benchLog(`server: ${build}`);
    out.http = { build, store: '', env, notes: [] };
  } catch (error) {
    failures.push({ scenario: 'HTTP suites setup', error: (error as Error).message });
    benchLog(`HTTP suites: FAILED to set up: ${(error as Error).message}`);
    return out;
  }
  const setup = out.http;
  const attempt = async <T>(name: string, work: () => Promise<T>): Promise<T | undefined> => {
    const t0 = performance.now();
    try {
      const result = await work();
      benchLog(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return result;
    } catch (error) {
      failures.push({ scenario: name, error: (error as Error).message });
      benchLog(`${name}: FAILED: ${(error as Error).message}`);
      return undefined;
    }
  };
  if (suites.includes('shapes')) {
    out.shapes = [];
    for (const mode of config.shapeModes) {
      const name = `real-world graphs ${mode}`;
      const shapes = await attempt(name, () =>
        withServerSession(name, { TRELLIS_DURABILITY: mode, ...env }, setup, (server) =>
          runShapes(server.url, realWorldGraphs(), config.shapeWarmup, config.shapeRuns, mode),
        ),
      );
      out.shapes.push(...(shapes ?? []));
    }
  }
  if (suites.includes('load')) {
    out.load = [];
    const loads: [LoadResult['kind'], LoadSpec][] = [['sustained', config.load]];
    if (config.overload) loads.push(['overload', config.overload]);
    for (const [kind, spec] of loads) {
      const name = `${kind} load`;
      const result = await attempt(name, () =>
        withServerSession(name, env, setup, (server) => runLoad(server, kind, spec, config)),
      );
      if (result) out.load.push(result);
    }
  }
  return out;
}
