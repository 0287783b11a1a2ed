import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandRunner, InjectCommander } from 'nest-commander';
import { EXIT_CODES_HELP } from './exit-code.constants';

/** commander's `Command`, as nest-commander hands it out. */
type CommanderCommand = Parameters<CommandRunner['setCommand']>[0];

/**
 * Finishes the commander program once nest-commander has added the commands (they are added at
 * module init, so this runs at bootstrap): names it `trellis`, appends the exit codes to the help,
 * and makes every command throw its parse errors instead of calling `process.exit(1)`, so that
 * `handleCliError` turns them into exit code 2.
 */
@Injectable()
export class CliProgramConfigurer implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly program: CommanderCommand) {}

  onApplicationBootstrap(): void {
    this.program
      .name('trellis')
      .description('Trellis: validate and run DAG graphs locally, or submit them to a server')
      .addHelpText('after', EXIT_CODES_HELP)
      .showHelpAfterError('(add --help for usage)');
    const all = [this.program, ...this.program.commands];
    for (const command of all) {
      command.exitOverride((error) => {
        throw error;
      });
      if (command !== this.program) command.showHelpAfterError('(add --help for usage)');
    }
  }
}
