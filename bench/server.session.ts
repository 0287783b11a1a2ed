import { startMongoServer, withDatabase } from './ferretdb.server';
import { TrellisServerProcess, startTrellisServer } from './trellis-server.process';

/** Where a server session keeps its notes (unclean exits, error log lines) and its store's name. */
export interface SessionNotes {
  store: string;
  notes: string[];
}

/**
 * Runs `work` against a built server on a store of its own: a fresh FerretDB (or a fresh
 * database on MONGODB_URI), started before and stopped after, so no scenario inherits a store
 * that a previous one left busy (FerretDB goes on with scans for clients that gave up).
 * Error log lines and an unclean exit of the server are added to `notes`.
 */
export async function withServerSession<T>(
  name: string,
  env: Record<string, string>,
  notes: SessionNotes,
  work: (server: TrellisServerProcess) => Promise<T>,
): Promise<T> {
  const backend = process.env.MONGODB_URI
    ? 'MONGODB_URI'
    : (process.env.BENCH_HTTP_BACKEND ?? 'sqlite');
  const mongo = await startMongoServer(backend);
  notes.store ||= mongo.description.replace(', started by the benchmark', ', one per server');
  let server: TrellisServerProcess | undefined;
  try {
    const dbName = `trellis_bench_http_${name.replace(/\W/g, '_')}_${process.pid}`;
    server = await startTrellisServer({ ...env, MONGODB_URI: withDatabase(mongo.uri, dbName) });
    return await work(server);
  } finally {
    if (server) {
      const errors = server.logs().filter((l) => /"level":(50|60)/.test(l));
      const how = await server.stop();
      if (how !== '0') notes.notes.push(`${name}: the server exited ${how}`);
      if (errors.length > 0) {
        notes.notes.push(`${name}: ${errors.length} error log line(s), e.g. ${errors[0]}`);
      }
    }
    mongo.stop();
  }
}
