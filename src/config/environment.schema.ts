import { apiKeyProblems } from '@trellis/orchestration/http';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/**
 * The server's configuration, read from the environment and validated at startup (through
 * @nestjs/config's `validate`). Defaults are listed in docs/HTTP-API.md.
 */
export class Environment {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsString() HOST: string = '127.0.0.1';
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, {
    message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI',
  })
  MONGODB_URI?: string;
  /**
   * `name:secret` pairs (the name is recorded as who took an operator action), or bare secrets
   * (named `key-<n>`); see `parseApiKeys`. A named entry's secret, or a bare secret, has 16+
   * characters; names and secrets are unique. An entry shaped `name:secret` (name of
   * `[A-Za-z0-9_.-]`, up to 64) is always read as named: a bare secret cannot have that shape.
   */
  @Transform(list)
  @IsString({ each: true })
  @MinLength(16, {
    each: true,
    message:
      'each of TRELLIS_API_KEYS must be name:secret with a secret of at least 16 characters, or a bare secret of at least 16 characters (an entry shaped name:secret is always read as named, its secret after the first colon)',
  })
  TRELLIS_API_KEYS: string[] = [];
  @Matches(/^\d+(b|kb|mb)$/i, {
    message: 'TRELLIS_BODY_LIMIT must look like 8mb, 512kb or 100000b',
  })
  TRELLIS_BODY_LIMIT: string = '8mb';
  @Type(() => Number) @IsInt() @Min(2) @Max(1000) TRELLIS_MAX_JSON_DEPTH: number = 64;
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) TRELLIS_MAX_NODES: number = 100_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(100_000) TRELLIS_MAX_WORKERS: number = 64;
  @Type(() => Number) @IsInt() @Min(100) TRELLIS_STALL_CHECK_MS: number = 30_000;
  @Type(() => Number) @IsInt() @Min(1000) TRELLIS_RETENTION_MS: number = 7 * 24 * 3600 * 1000;
  @Type(() => Number) @IsInt() @Min(1000) TRELLIS_LEASE_MS: number = 30_000;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, {
    message: 'TRELLIS_INSTANCE_ID must be 1-100 letters, digits, _ . : -',
  })
  TRELLIS_INSTANCE_ID?: string;
  @Type(() => Number) @IsInt() @Min(1) TRELLIS_RATE_LIMIT: number = 1200;
  @Type(() => Number) @IsInt() @Min(0) TRELLIS_SHUTDOWN_GRACE_MS: number = 10_000;
  @Transform(list) @IsString({ each: true }) TRELLIS_COMMAND_ALLOWLIST: string[] = [];
  @IsOptional() @IsIn(['durable', 'write-behind']) TRELLIS_DURABILITY?: 'durable' | 'write-behind';
  @Type(() => Number) @IsInt() @Min(1) @Max(100) TRELLIS_DEFAULT_MAX_ATTEMPTS: number = 3;
  @Type(() => Number) @IsInt() @Min(1024) TRELLIS_MAX_OUTPUT_BYTES: number = 1 << 20;
  @Type(() => Number) @IsInt() @Min(100) TRELLIS_STORE_TIMEOUT_MS: number = 750;
  @Type(() => Number) @IsInt() @Min(10) TRELLIS_COMMAND_POLL_MS: number = 50;
  @Type(() => Number) @IsInt() @Min(100) TRELLIS_MAX_JOURNAL_LAG_MS: number = 500;
  @Type(() => Number) @IsInt() @Min(1) TRELLIS_MAX_ACTIVE_EXECUTIONS: number = 2_000;
  @Type(() => Number) @IsInt() @Min(0) TRELLIS_MAX_EVENT_LOOP_DELAY_MS: number = 100;
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'TRELLIS_QUEUE_PREFIX must be 1-64 letters, digits, _ . -',
  })
  TRELLIS_QUEUE_PREFIX: string = 'trellis';
  @Type(() => Number) @IsInt() @Min(0) TRELLIS_QUEUE_SCHEDULE_TO_START_MS: number = 0;
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'TRELLIS_WORKER_POOL must be 1-64 letters, digits, _ -',
  })
  TRELLIS_WORKER_POOL: string = 'default';
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000) TRELLIS_WORKER_CONCURRENCY: number = 16;
  @IsOptional()
  @Matches(/^\d+\/\d+$/, {
    message: 'TRELLIS_WORKER_RATE_LIMIT must look like 100/1000 (jobs per milliseconds)',
  })
  TRELLIS_WORKER_RATE_LIMIT?: string;
  @Type(() => Number) @IsInt() @Min(1000) TRELLIS_WORKER_LOCK_MS: number = 30_000;
  @IsIn(['debug', 'info', 'warn', 'error']) LOG_LEVEL: string = 'info';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Validates the environment; the `validate` function of `ConfigModule.forRoot()`.
 * @throws Error naming every bad variable.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined),
  );
  const env = plainToInstance(Environment, present, {
    exposeDefaultValues: true,
  });
  const problems = validateSync(env, { forbidUnknownValues: false }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (m) => `${e.property}=${shown(e.property, raw[e.property])}: ${m}`,
    ),
  );
  for (const problem of apiKeyProblems(env.TRELLIS_API_KEYS)) {
    problems.push(`TRELLIS_API_KEYS=<not shown>: ${problem}`);
  }
  if (env.TRELLIS_API_KEYS.length === 0 && !LOOPBACK.has(env.HOST)) {
    problems.push(
      `HOST=${env.HOST}: without TRELLIS_API_KEYS the server only listens on 127.0.0.1`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return env;
}

/** A value for an error message, with secrets left out. */
function shown(name: string, value: unknown): string {
  if (name === 'TRELLIS_API_KEYS') return '<not shown>';
  if ((name === 'MONGODB_URI' || name === 'REDIS_URL') && typeof value === 'string') {
    return JSON.stringify(value.replace(/\/\/[^@/]*@/, '//<credentials>@'));
  }
  return JSON.stringify(value);
}
