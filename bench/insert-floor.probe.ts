import type { Connection } from 'mongoose';
import { Distribution, distribution } from './percentiles';

/** Round trips of one tiny insertOne, in ms: no durable journal write can be faster. */
export interface InsertFloor extends Distribution {
  /** FerretDB or MongoDB, as the server's buildInfo says. */
  server: string;
}

/**
 * Times `count` tiny `insertOne`s, one after the other, into a fresh collection of the
 * connection's database (after one untimed insert that creates it), then drops it. A durable
 * chain hop waits for at least one such round trip: the insert that stores a completion.
 */
export async function measureInsertFloor(
  connection: Connection,
  count: number,
): Promise<InsertFloor> {
  const db = connection.db!;
  const info = await db.admin().command({ buildInfo: 1 });
  const collection = db.collection<{ _id: number; v: number }>('bench_insert_floor');
  await collection.drop().catch(() => undefined);
  await collection.insertOne({ _id: -1, v: 0 });
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await collection.insertOne({ _id: i, v: i });
    samples[i] = performance.now() - t0;
  }
  await collection.drop().catch(() => undefined);
  return {
    server: typeof info.ferretdbVersion === 'string' ? 'FerretDB' : 'MongoDB',
    ...distribution(samples),
  };
}
