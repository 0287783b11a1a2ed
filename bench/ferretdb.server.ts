import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** A MongoDB-wire server for the mongo scenarios. */
export interface MongoServer {
  uri: string;
  /** For the report: where it came from and which backend. */
  description: string;
  /** Stops it if the benchmark started it (idempotent, synchronous). */
  stop(): void;
}

const SCRIPT = join(repoRoot(), 'scripts', 'ferretdb.sh');

/**
 * MONGODB_URI when set; otherwise a throwaway FerretDB started by scripts/ferretdb.sh, on the
 * PostgreSQL backend (far faster than SQLite for this) unless FERRETDB_BACKEND says otherwise,
 * falling back to SQLite when PostgreSQL is not reachable.
 * @throws Error when no server could be provided.
 */
export async function provideMongoServer(): Promise<MongoServer> {
  const given = process.env.MONGODB_URI;
  if (given) return { uri: given, description: 'MONGODB_URI from the environment', stop: () => {} };
  execFileSync('bash', [SCRIPT, 'install'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const backends = process.env.FERRETDB_BACKEND
    ? [process.env.FERRETDB_BACKEND]
    : ['postgresql', 'sqlite'];
  let lastError: unknown;
  for (const backend of backends) {
    try {
      return await startFerretDb(backend);
    } catch (error) {
      lastError = error;
      process.stderr.write(
        `[bench] FerretDB on ${backend} did not start; ${backends.length > 1 ? 'trying the next backend' : 'giving up'}\n`,
      );
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startFerretDb(backend: string): Promise<MongoServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-bench-ferretdb-'));
  const stopServer = () => {
    try {
      execFileSync('bash', [SCRIPT, 'stop', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  let out: string;
  try {
    out = execFileSync('bash', [SCRIPT, 'start', String(port), dataDir], {
      env: { ...process.env, FERRETDB_BACKEND: backend },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
  } catch (error) {
    stopServer();
    throw error;
  }
  const uri = out.trim().split('\n').pop() ?? '';
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopServer();
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
    uri,
    description: `FerretDB v1.24.2 (${backend} backend), started by the benchmark`,
    stop,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}
