import { Command, CommandRunner, Option } from 'nest-commander';
import { CliUsageError } from '../errors';
import { startWorker } from '../../worker';

/** Parsed options of `trellis worker`. */
export interface WorkerCommandOptions {
  pool?: string;
  concurrency?: number;
}

/**
 * `trellis worker [--pool NAME] [--concurrency N]`: runs QUEUED attempts of one pool until
 * SIGTERM/SIGINT, with the built-in node types, on REDIS_URL; the other settings come from the
 * same environment as the server's (TRELLIS_QUEUE_PREFIX, TRELLIS_WORKER_LOCK_MS, ...).
 */
@Command({
  name: 'worker',
  description:
    'Run QUEUED nodes of one pool from REDIS_URL with the built-in node types, until stopped',
})
export class WorkerCommand extends CommandRunner {
  async run(_args: string[], options: WorkerCommandOptions = {}): Promise<void> {
    const env: Record<string, unknown> = { ...process.env };
    if (options.pool !== undefined) env.TRELLIS_WORKER_POOL = options.pool;
    if (options.concurrency !== undefined) env.TRELLIS_WORKER_CONCURRENCY = options.concurrency;
    try {
      await startWorker(env);
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
    // NOTE: runs until a signal closes the application context (its shutdown hooks exit).
    await new Promise<never>(() => undefined);
  }

  @Option({ flags: '-p, --pool <name>', description: 'the pool to serve (default: default)' })
  parsePool(value: string): string {
    return value;
  }

  @Option({ flags: '-c, --concurrency <n>', description: 'jobs run at once (default: 16)' })
  parseConcurrency(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new CliUsageError('--concurrency must be a positive integer');
    return n;
  }
}
