import { Module } from '@nestjs/common';
import { CliProgramConfigurer } from './cli-program.configurer';
import { RunCommand } from './commands/run.command';
import { StatusCommand } from './commands/status.command';
import { SubmitCommand } from './commands/submit.command';
import { ValidateCommand } from './commands/validate.command';
import { WorkerCommand } from './commands/worker.command';
import { CliEngineFactory } from './engine/cli-engine.factory';
import { CliOutput } from './output/cli-output.service';

/**
 * The `trellis` command line (nest-commander): `validate` and `run` use an in-process engine,
 * `submit` and `status` a running server over HTTP, `worker` runs QUEUED nodes from Redis.
 */
@Module({
  providers: [
    CliOutput,
    CliEngineFactory,
    CliProgramConfigurer,
    ValidateCommand,
    RunCommand,
    SubmitCommand,
    StatusCommand,
    WorkerCommand,
  ],
})
export class CliModule {}
