import { Injectable, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CliEngineModule, CliEngineOptions } from './cli-engine.module';

/**
 * Starts the in-process engine of `validate` and `run`. It is a separate application context
 * because its module options depend on the parsed command line (`--allow-command`), and
 * `submit`/`status` need no engine at all. Only errors are logged.
 */
@Injectable()
export class CliEngineFactory {
  /** Starts the engine; the caller closes the returned context. */
  open(options: CliEngineOptions = { commandAllowlist: [] }): Promise<INestApplicationContext> {
    return NestFactory.createApplicationContext(CliEngineModule.forOptions(options), {
      logger: ['error'],
      abortOnError: false,
    });
  }
}
