/**
 * Jest globalSetup for the `integration` project.
 *
 * With MONGODB_URI set, the suite runs against that server as-is. Otherwise a throwaway FerretDB
 * (MongoDB wire protocol; SQLite backend, or PostgreSQL with FERRETDB_BACKEND=postgresql) is built
 * if needed and started by scripts/ferretdb.sh on a free port with a fresh data dir. Jest forks its
 * workers after this runs, so they inherit MONGODB_URI; TRELLIS_FERRETDB_DIR tells the teardown
 * what to stop and delete.
 */
import { resolve } from 'node:path';
import { buildConsole, consoleBuildIsCurrent } from '../../scripts/console.build';
import { installFerretDb, startFerretDb } from '../../scripts/ferretdb.launcher';
import { installRedis, RedisServer, startRedis } from '../../scripts/redis.launcher';
import { canMakeNetworkHosts } from '../fixtures/network-hosts';

const REPO_ROOT = resolve(__dirname, '..', '..');
const HINT =
  'Point the integration suite at a MongoDB-compatible server instead, e.g. ' +
  'MONGODB_URI=mongodb://127.0.0.1:27017/ npm run test:integration';

/** The URI without credentials, for logs. */
function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/** REDIS_URL as given, or a redis-server of the suite's own on a free port (stopped by the teardown). */
async function provisionRedis(): Promise<void> {
  if (process.env.REDIS_URL) {
    console.log(`[integration] queue tests use REDIS_URL=${redact(process.env.REDIS_URL)}`);
    return;
  }
  installRedis(REPO_ROOT);
  const server = await startRedis();
  (globalThis as { trellisRedis?: RedisServer }).trellisRedis = server;
  process.env.REDIS_URL = server.url;
  process.once('exit', () => server.process.kill('SIGKILL'));
  console.log(`[integration] started redis-server for the queue tests at ${server.url}`);
}

export default async function globalSetup(): Promise<void> {
  // NOTE: the servers the suites start serve the console from its build (esbuild: under a second).
  if (!consoleBuildIsCurrent()) {
    await buildConsole();
    console.log('[integration] built the console (npm run build:console)');
  }
  await provisionRedis();
  if (!canMakeNetworkHosts()) {
    console.log(
      '[integration] not run here: test/faults/network-partition (it needs root and `ip netns` for its hosts)',
    );
  }
  const given = process.env.MONGODB_URI;
  if (given) {
    console.log(
      `\n[integration] running against MONGODB_URI=${redact(given)} (from the environment)`,
    );
    return;
  }

  try {
    console.log(
      '\n[integration] MONGODB_URI is not set: provisioning FerretDB (scripts/ferretdb.sh)',
    );
    console.log('[integration] building FerretDB if needed (the first build takes ~2 minutes)...');
    installFerretDb(REPO_ROOT, 'inherit');
    const server = await startFerretDb(REPO_ROOT, {
      backend: process.env.FERRETDB_BACKEND ?? 'sqlite',
      dataDirPrefix: 'trellis-ferretdb-',
    });
    process.env.MONGODB_URI = server.uri;
    process.env.TRELLIS_FERRETDB_DIR = server.dataDir;

    // Safety net: if jest exits without running globalTeardown (e.g. interrupted), do not leave the
    // server behind. The teardown does the orderly stop and deletes the data dir.
    process.once('exit', () => {
      if (!process.env.TRELLIS_FERRETDB_DIR) return;
      try {
        process.kill(server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });

    console.log(
      `[integration] running against FerretDB v1.24.2 (${server.backend}) at ${server.uri} (data: ${server.dataDir})`,
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not provision FerretDB for the integration suite: ${reason}\n${HINT}`);
  }
}
