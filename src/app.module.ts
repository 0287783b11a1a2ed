import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import { OrchestrationModule } from '@trellis/orchestration';

const mongoUri = process.env.MONGODB_URI;

/**
 * The Trellis server: composes the library exactly as a host monolith would. With MONGODB_URI
 * set, state lives in MongoDB; otherwise in the embedded (non-durable) store.
 */
@Module({
  imports: [
    ScheduleModule.forRoot(),
    ...(mongoUri ? [MongooseModule.forRoot(mongoUri)] : []),
    OrchestrationModule.forRoot({
      store: mongoUri ? 'mongo' : 'memory',
      maxWorkers: numberFromEnv('TRELLIS_MAX_WORKERS'),
      stallCheckIntervalMs: numberFromEnv('TRELLIS_STALL_CHECK_MS'),
      instanceId: process.env.TRELLIS_INSTANCE_ID,
    }),
  ],
})
export class AppModule {}

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}
