import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { OrchestrationModule } from '@trellis/orchestration';
import { OrchestrationConsoleModule } from '@trellis/orchestration/console';
import { ApiKeyGuard, OrchestrationHttpModule } from '@trellis/orchestration/http';
import { LoggerModule } from 'nestjs-pino';
import { Environment, validateEnvironment } from './config/environment.schema';
import { pinoHttpOptions } from './config/logging.options';

type Config = ConfigService<Environment, true>;

/**
 * The Trellis server: composes the library exactly as a host monolith would, with validated
 * configuration, JSON logs, API keys, rate limiting, the HTTP layer and the web console at
 * /console. With MONGODB_URI set,
 * state lives in MongoDB; otherwise in the embedded (non-durable) store.
 */
@Module({})
export class AppModule {
  /** @param env the validated environment (it decides the store, which shapes the module graph). */
  static forRoot(env: Environment): DynamicModule {
    const useMongo = Boolean(env.MONGODB_URI);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: validateEnvironment,
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: Config) => ({ pinoHttp: pinoHttpOptions(config.get('LOG_LEVEL')) }),
        }),
        ThrottlerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: Config) => ({
            throttlers: [{ ttl: 60_000, limit: config.get('TRELLIS_RATE_LIMIT') }],
          }),
        }),
        ScheduleModule.forRoot(),
        ...(useMongo
          ? [
              MongooseModule.forRootAsync({
                inject: [ConfigService],
                useFactory: (config: Config) => ({
                  uri: config.get('MONGODB_URI'),
                  // NOTE: fail calls fast while the server is away (the engine answers 503 and
                  // retries its own writes) instead of queueing them for the driver's 30 s.
                  serverSelectionTimeoutMS: 5000,
                  bufferTimeoutMS: 5000,
                }),
              }),
            ]
          : []),
        OrchestrationModule.forRootAsync({
          isGlobal: true,
          store: useMongo ? 'mongo' : 'memory',
          inject: [ConfigService],
          useFactory: (config: Config) => ({
            maxWorkers: config.get('TRELLIS_MAX_WORKERS'),
            maxNodes: config.get('TRELLIS_MAX_NODES'),
            stallCheckIntervalMs: config.get('TRELLIS_STALL_CHECK_MS'),
            retentionMs: config.get('TRELLIS_RETENTION_MS'),
            leaseMs: config.get('TRELLIS_LEASE_MS'),
            shutdownGraceMs: config.get('TRELLIS_SHUTDOWN_GRACE_MS'),
            instanceId: config.get('TRELLIS_INSTANCE_ID'),
            allowCommands: config.get('TRELLIS_COMMAND_ALLOWLIST').length > 0,
            commandAllowlist: config.get('TRELLIS_COMMAND_ALLOWLIST'),
            durability: config.get('TRELLIS_DURABILITY'),
            defaultRetry: { maxAttempts: config.get('TRELLIS_DEFAULT_MAX_ATTEMPTS') },
            maxOutputBytes: config.get('TRELLIS_MAX_OUTPUT_BYTES'),
            maxErrorBytes: config.get('TRELLIS_MAX_OUTPUT_BYTES'),
            storeTimeoutMs: config.get('TRELLIS_STORE_TIMEOUT_MS'),
            commandPollMs: config.get('TRELLIS_COMMAND_POLL_MS'),
            maxJournalLagMs: config.get('TRELLIS_MAX_JOURNAL_LAG_MS'),
            maxActiveExecutions: config.get('TRELLIS_MAX_ACTIVE_EXECUTIONS'),
            maxEventLoopDelayMs: config.get('TRELLIS_MAX_EVENT_LOOP_DELAY_MS'),
            queue: config.get('REDIS_URL')
              ? {
                  redisUrl: config.get('REDIS_URL'),
                  prefix: config.get('TRELLIS_QUEUE_PREFIX'),
                  scheduleToStartTimeoutMs: config.get('TRELLIS_QUEUE_SCHEDULE_TO_START_MS'),
                }
              : undefined,
          }),
        }),
        OrchestrationHttpModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: Config) => ({
            apiKeys: config.get('TRELLIS_API_KEYS'),
            maxJsonDepth: config.get('TRELLIS_MAX_JSON_DEPTH'),
          }),
        }),
        OrchestrationConsoleModule.forRoot({ path: 'console' }),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useExisting: ApiKeyGuard },
      ],
    };
  }
}
