import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Environment, validateEnvironment } from './config/environment.schema';
import { WorkerModule } from './worker.module';

/**
 * Starts a Trellis worker (`npm run worker`, `trellis worker`): reads the same environment as
 * the server; SIGTERM/SIGINT close it (BullMQ lets running jobs finish first).
 */
export async function startWorker(raw: Record<string, unknown>): Promise<INestApplicationContext> {
  const env: Environment = validateEnvironment(raw);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  logger.log(`worker ready (pool ${env.TRELLIS_WORKER_POOL}, pid ${process.pid})`, 'Trellis');
  return app;
}

if (require.main === module) {
  startWorker(process.env).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
