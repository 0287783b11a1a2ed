/**
 * Jest globalSetup for the `integration` project.
 *
 * With MONGODB_URI set, the suite runs against that server as-is. Otherwise a throwaway FerretDB
 * (MongoDB wire protocol; SQLite backend, or PostgreSQL with FERRETDB_BACKEND=postgresql) is built
 * if needed and started by scripts/ferretdb.sh on a free port with a fresh data dir. Jest forks its
 * workers after this runs, so they inherit MONGODB_URI; TRELLIS_FERRETDB_DIR tells the teardown
 * what to stop and delete.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(REPO_ROOT, 'scripts', 'ferretdb.sh');
const HINT =
  'Point the integration suite at a MongoDB-compatible server instead, e.g. ' +
  'MONGODB_URI=mongodb://127.0.0.1:27017/ npm run test:integration';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() =>
        port ? resolvePort(port) : reject(new Error('could not read a free port')),
      );
    });
  });
}

/** The URI without credentials, for logs. */
function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

export default async function globalSetup(): Promise<void> {
  const given = process.env.MONGODB_URI;
  if (given) {
    console.log(
      `\n[integration] running against MONGODB_URI=${redact(given)} (from the environment)`,
    );
    return;
  }

  let dataDir: string | undefined;
  try {
    console.log(
      '\n[integration] MONGODB_URI is not set: provisioning FerretDB (scripts/ferretdb.sh)',
    );
    console.log('[integration] building FerretDB if needed (the first build takes ~2 minutes)...');
    execFileSync('bash', [SCRIPT, 'install'], { stdio: ['ignore', 'inherit', 'inherit'] });

    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'trellis-ferretdb-'));
    const out = execFileSync('bash', [SCRIPT, 'start', String(port), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    const uri = out.trim().split('\n').pop() ?? '';
    if (!uri.startsWith('mongodb://'))
      throw new Error(`unexpected output from ferretdb.sh start: ${out}`);

    process.env.MONGODB_URI = uri;
    process.env.TRELLIS_FERRETDB_DIR = dataDir;

    // Safety net: if jest exits without running globalTeardown (e.g. interrupted), do not leave the
    // server behind. The teardown does the orderly stop and deletes the data dir.
    const pid = Number(readFileSync(join(dataDir, 'ferretdb.pid'), 'utf8').trim());
    process.once('exit', () => {
      if (!process.env.TRELLIS_FERRETDB_DIR) return;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });

    const backend = process.env.FERRETDB_BACKEND ?? 'sqlite';
    console.log(
      `[integration] running against FerretDB v1.24.2 (${backend}) at ${uri} (data: ${dataDir})`,
    );
  } catch (err) {
    if (dataDir) {
      try {
        execFileSync('bash', [SCRIPT, 'stop', dataDir], { stdio: 'ignore' });
      } catch {
        // best effort
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
    delete process.env.TRELLIS_FERRETDB_DIR;
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not provision FerretDB for the integration suite: ${reason}\n${HINT}`);
  }
}
