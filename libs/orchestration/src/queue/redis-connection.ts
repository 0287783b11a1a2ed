import IORedis from 'ioredis';

/**
 * A Redis connection for BullMQ from a `redis://` / `rediss://` URL. `maxRetriesPerRequest: null`
 * as BullMQ asks of connections that block (workers, queue events): a command sent while Redis
 * is away waits for the reconnect instead of failing.
 */
export function redisConnection(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** The pub/sub channel on which engines tell workers to abort an attempt (message: job id). */
export function cancelChannel(prefix: string): string {
  return `${prefix}:cancel`;
}
