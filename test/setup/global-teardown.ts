/**
 * Jest globalTeardown for the `integration` project: stops the FerretDB that global-setup.ts
 * started (if any) and deletes its data dir. A server given through MONGODB_URI is left alone.
 */
import { resolve } from 'node:path';
import { stopFerretDb } from '../../scripts/ferretdb.launcher';

export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.TRELLIS_FERRETDB_DIR;
  if (!dataDir) return;
  stopFerretDb(resolve(__dirname, '..', '..'), dataDir);
  delete process.env.TRELLIS_FERRETDB_DIR;
  delete process.env.MONGODB_URI;
}
