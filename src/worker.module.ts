import { DynamicModule, Module } from '@nestjs/common';
import { OrchestrationWorkerModule } from '@trellis/orchestration';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from './config/environment.schema';

/**
 * A Trellis worker: runs the QUEUED attempts of one pool (`TRELLIS_WORKER_POOL`) with the
 * built-in node types, on `REDIS_URL`. A host monolith imports `OrchestrationWorkerModule`
 * beside its own handler modules instead.
 */
@Module({})
export class WorkerModule {
  /** @throws Error when REDIS_URL is not set. */
  static forRoot(env: Environment): DynamicModule {
    if (!env.REDIS_URL)
      throw new Error('A worker needs REDIS_URL (the Redis the engines queue on)');
    const [max, durationMs] = (env.TRELLIS_WORKER_RATE_LIMIT ?? '').split('/').map(Number);
    return {
      module: WorkerModule,
      imports: [
        // NOTE: the server's JSON log lines (pino), so one log pipeline reads both.
        LoggerModule.forRoot({ pinoHttp: { level: env.LOG_LEVEL } }),
        OrchestrationWorkerModule.forRoot({
          redisUrl: env.REDIS_URL,
          prefix: env.TRELLIS_QUEUE_PREFIX,
          pool: env.TRELLIS_WORKER_POOL,
          concurrency: env.TRELLIS_WORKER_CONCURRENCY,
          lockDurationMs: env.TRELLIS_WORKER_LOCK_MS,
          rateLimit: env.TRELLIS_WORKER_RATE_LIMIT ? { max, durationMs } : undefined,
          allowCommands: env.TRELLIS_COMMAND_ALLOWLIST.length > 0,
          commandAllowlist: env.TRELLIS_COMMAND_ALLOWLIST,
          maxOutputBytes: env.TRELLIS_MAX_OUTPUT_BYTES,
          maxErrorBytes: env.TRELLIS_MAX_OUTPUT_BYTES,
        }),
      ],
    };
  }
}
