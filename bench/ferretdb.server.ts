import { installFerretDb, startFerretDb, stopFerretDb } from '../scripts/ferretdb.launcher';
import { repoRoot } from './repo-root';

/** A MongoDB-wire server for the mongo scenarios. */
export interface MongoServer {
  uri: string;
  /** For the report: where it came from and which backend. */
  description: string;
  /** Stops it if the benchmark started it (idempotent, synchronous). */
  stop(): void;
}

/**
 * MONGODB_URI when set; otherwise a throwaway FerretDB started by scripts/ferretdb.sh, on the
 * PostgreSQL backend (far faster than SQLite for this) unless FERRETDB_BACKEND says otherwise,
 * falling back to SQLite when PostgreSQL is not reachable.
 * @throws Error when no server could be provided.
 */
export async function provideMongoServer(): Promise<MongoServer> {
  const given = process.env.MONGODB_URI;
  if (given) return { uri: given, description: 'MONGODB_URI from the environment', stop: () => {} };
  installFerretDb(repoRoot(), 'ignore');
  const backends = process.env.FERRETDB_BACKEND
    ? [process.env.FERRETDB_BACKEND]
    : ['postgresql', 'sqlite'];
  let lastError: unknown;
  for (const backend of backends) {
    try {
      return await startBenchFerretDb(backend);
    } catch (error) {
      lastError = error;
      process.stderr.write(
        `[bench] FerretDB on ${backend} did not start; ${backends.length > 1 ? 'trying the next backend' : 'giving up'}\n`,
      );
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startBenchFerretDb(backend: string): Promise<MongoServer> {
  const root = repoRoot();
  const server = await startFerretDb(root, { backend, dataDirPrefix: 'trellis-bench-ferretdb-' });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopFerretDb(root, server.dataDir);
  };
  // NOTE: an interrupted benchmark must not leave the server (or its PostgreSQL database) behind.
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  return {
    uri: server.uri,
    description: `FerretDB v1.24.2 (${backend} backend), started by the benchmark`,
    stop,
  };
}
