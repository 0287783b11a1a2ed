import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import {
  OrchestrationExceptionFilter,
  TRELLIS_VALIDATION_OPTIONS,
} from '@trellis/orchestration/http';
import { ValidationPipe } from '@nestjs/common';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Environment, validateEnvironment } from './config/environment.schema';
import { setUpOpenApi } from './openapi';

/** Starts the Trellis server; exits with a message naming the variable when the configuration is bad. */
async function bootstrap(): Promise<void> {
  let env: Environment;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bufferLogs: true,
    bodyParser: false,
    forceCloseConnections: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useBodyParser('json', {
    limit: env.TRELLIS_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
  });
  // NOTE: no upgrade-insecure-requests: it would make browsers fetch the /docs assets over https
  // from a server reached over plain http (a container on another host).
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.useGlobalPipes(new ValidationPipe(TRELLIS_VALIDATION_OPTIONS));
  app.useGlobalFilters(app.get(OrchestrationExceptionFilter));
  app.set('trust proxy', false);
  setUpOpenApi(app, env);
  shutDownOn(app, ['SIGTERM', 'SIGINT'], logger, env.TRELLIS_SHUTDOWN_GRACE_MS);
  await app.listen(env.PORT, env.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.log(`Trellis listening on http://${env.HOST}:${port}`, 'Trellis');
  if (env.TRELLIS_API_KEYS.length === 0) {
    logger.warn(
      'No TRELLIS_API_KEYS configured: authentication is off, so the server listens on loopback only',
      'Trellis',
    );
  }
}

/**
 * Graceful shutdown: stop accepting connections, let running nodes finish within
 * TRELLIS_SHUTDOWN_GRACE_MS, write state, exit; what did not finish resumes on the next start.
 */
function shutDownOn(
  app: NestExpressApplication,
  signals: NodeJS.Signals[],
  logger: Logger,
  graceMs: number,
): void {
  let closing = false;
  for (const signal of signals) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      logger.log(`${signal}: shutting down`, 'Trellis');
      // NOTE: a store that never answers must not keep the process from exiting.
      setTimeout(() => {
        logger.error('Shutdown did not finish in time; exiting', 'Trellis');
        process.exit(1);
      }, graceMs + 15_000).unref();
      app.getHttpServer().close();
      app
        .close()
        .then(() => process.exit(0))
        .catch((error: Error) => {
          logger.error(`Shutdown failed: ${error.message}`, 'Trellis');
          process.exit(1);
        });
    });
  }
}

void bootstrap();
