/**
 * The TypeScript face of scripts/ferretdb.sh, shared by the integration suite's global setup
 * and the benchmark: build FerretDB, start one on a free port with a fresh data dir, stop it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A FerretDB that `startFerretDb` started. */
export interface FerretDb {
  uri: string;
  /** Its data dir; `stopFerretDb` takes it. */
  dataDir: string;
  pid: number;
  backend: string;
}

function script(repoRoot: string): string {
  return join(repoRoot, 'scripts', 'ferretdb.sh');
}

/** Builds FerretDB into .ferretdb/ unless it is there (the first build takes about 90 s). */
export function installFerretDb(repoRoot: string, output: 'inherit' | 'ignore'): void {
  execFileSync('bash', [script(repoRoot), 'install'], { stdio: ['ignore', output, 'inherit'] });
}

/**
 * Starts FerretDB on `backend` (sqlite or postgresql) on a free port with a fresh data dir
 * named from `dataDirPrefix`. When it does not start, nothing is left behind.
 */
export async function startFerretDb(
  repoRoot: string,
  options: { backend: string; dataDirPrefix: string },
): Promise<FerretDb> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  try {
    const out = execFileSync('bash', [script(repoRoot), 'start', String(port), dataDir], {
      env: { ...process.env, FERRETDB_BACKEND: options.backend },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    const uri = out.trim().split('\n').pop() ?? '';
    if (!uri.startsWith('mongodb://')) {
      throw new Error(`unexpected output from ferretdb.sh start: ${out}`);
    }
    const pid = Number(readFileSync(join(dataDir, 'ferretdb.pid'), 'utf8').trim());
    return { uri, dataDir, pid, backend: options.backend };
  } catch (error) {
    stopFerretDb(repoRoot, dataDir);
    throw error;
  }
}

/** Stops the FerretDB of `dataDir` if it runs, and deletes the data dir. */
export function stopFerretDb(repoRoot: string, dataDir: string): void {
  try {
    execFileSync('bash', [script(repoRoot), 'stop', dataDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    // NOTE: best effort: it may never have started, or be gone already.
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A TCP port nobody listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
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
