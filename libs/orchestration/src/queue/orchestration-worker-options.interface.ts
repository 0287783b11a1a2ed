import { OrchestrationModuleOptions } from '../orchestration-options.interface';

/** What a worker process is: which pool it serves, how much at once, on which Redis. */
export interface OrchestrationWorkerOptions extends Pick<
  OrchestrationModuleOptions,
  'allowCommands' | 'commandAllowlist' | 'maxOutputBytes' | 'maxErrorBytes' | 'abortGraceMs'
> {
  /** The Redis the engines queue on (`REDIS_URL`). Required. */
  redisUrl: string;
  /** The pool (BullMQ queue) served. Default `default`. */
  pool?: string;
  /** Jobs run at once by this worker. Default 16. */
  concurrency?: number;
  /** At most `max` jobs per `durationMs` for the whole pool (BullMQ's limiter). Default none. */
  rateLimit?: { max: number; durationMs: number };
  /** How long a job's lock lasts without renewal (renewed every half). Default 30000 ms. */
  lockDurationMs?: number;
  /** BullMQ key prefix; must match the engines'. Default `trellis`. */
  prefix?: string;
}

export type ResolvedWorkerOptions = Required<
  Pick<
    OrchestrationWorkerOptions,
    'redisUrl' | 'pool' | 'concurrency' | 'lockDurationMs' | 'prefix'
  >
> &
  OrchestrationWorkerOptions;
