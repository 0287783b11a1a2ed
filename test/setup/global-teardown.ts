/**
 * Jest globalTeardown for the `integration` project: stops the redis-server and the FerretDB that global-setup.ts
 * started (if any) and deletes its data dir. A server given through MONGODB_URI is left alone.
 */
import { resolve } from 'node:path';
import { stopFerretDb } from '../../scripts/ferretdb.launcher';
import { RedisServer } from '../../scripts/redis.launcher';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { trellisRedis?: RedisServer }).trellisRedis;
  if (redis) {
    await redis.stop();
    delete process.env.REDIS_URL;
  }
  const dataDir = process.env.TRELLIS_FERRETDB_DIR;
  if (!dataDir) return;
  stopFerretDb(resolve(__dirname, '..', '..'), dataDir);
  delete process.env.TRELLIS_FERRETDB_DIR;
  delete process.env.MONGODB_URI;
}
