import 'reflect-metadata';
import { INestApplicationContext, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Environment, validateEnvironment } from './config/environment.schema';
import { WorkerModule } from './worker.module';

const LEVELS: Record<string, LogLevel[]> = {
  debug: ['error', 'warn', 'log', 'debug'],
  info: ['error', 'warn', 'log'],
  warn: ['error', 'warn'],
  error: ['error'],
};

/**
 * Starts a Trellis worker (`npm run worker`, `trellis worker`): reads the same environment as
 * the server; SIGTERM/SIGINT close it (BullMQ lets running jobs finish first).
 */
export async function startWorker(raw: Record<string, unknown>): Promise<INestApplicationContext> {
  const env: Environment = validateEnvironment(raw);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    logger: LEVELS[env.LOG_LEVEL],
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  new Logger('Trellis').log(`worker ready (pool ${env.TRELLIS_WORKER_POOL}, pid ${process.pid})`);
  return app;
}

if (require.main === module) {
  startWorker(process.env).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
