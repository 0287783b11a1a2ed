/**
 * Jest globalTeardown for the `integration` project: stops the FerretDB that global-setup.ts
 * started (if any) and deletes its data dir. A server given through MONGODB_URI is left alone.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SCRIPT = join(resolve(__dirname, '..', '..'), 'scripts', 'ferretdb.sh');

export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.TRELLIS_FERRETDB_DIR;
  if (!dataDir) return;
  try {
    execFileSync('bash', [SCRIPT, 'stop', dataDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    delete process.env.TRELLIS_FERRETDB_DIR;
    delete process.env.MONGODB_URI;
  }
}
