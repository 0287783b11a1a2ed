import { installFerretDb, startFerretDb, stopFerretDb } from '../scripts/ferretdb.launcher';
import { repoRoot } from './repo-root';

/** A MongoDB-wire server for the durable and HTTP suites. */
export interface MongoServer {
  uri: string;
  /** `sqlite`, `postgresql`, or `MONGODB_URI`. */
  backend: string;
  /** For the report: where it came from and which backend. */
  description: string;
  /** Stops it if the benchmark started it (idempotent, synchronous). */
  stop(): void;
}

/**
 * A server for `backend`: `MONGODB_URI` is the server of that variable; `sqlite` and
 * `postgresql` start a throwaway FerretDB v1.24.2 on that backend through scripts/ferretdb.sh
 * (PostgreSQL: a fresh database on FERRETDB_PG_BASE, default postgres://postgres@127.0.0.1:5432).
 * It is stopped (and its data dropped) by `stop()`, or when the process exits.
 * @throws Error when the server could not be started.
 */
export async function startMongoServer(backend: string): Promise<MongoServer> {
  const given = process.env.MONGODB_URI;
  if (backend === 'MONGODB_URI') {
    if (!given) throw new Error('MONGODB_URI is not set');
    return { uri: given, backend, description: 'MONGODB_URI from the environment', stop: () => {} };
  }
  const root = repoRoot();
  installFerretDb(root, 'ignore');
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
    backend,
    description: `FerretDB v1.24.2 (${backend} backend), started by the benchmark`,
    stop,
  };
}

/** `uri` with its database (path) set to `dbName`. */
export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
