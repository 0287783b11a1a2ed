import { Command, Help } from 'nest-commander';
import { ExitCode, exitCodesHelp } from '../exit-code.constants';
import { CliOutput } from '../output/cli-output.service';
import { formatExecutionStatus } from '../output/execution-report.formatter';
import { ApiCommandBase, ApiCommandOptions } from './api-command.base';

const UNSUCCESSFUL = new Set(['failed', 'cancelled']);

/** `trellis status ID`: an execution's status, times and nodes (`GET /executions/:id`). */
@Command({
  name: 'status',
  arguments: '<id>',
  argsDescription: { id: 'execution id' },
  description: "Show an execution's status, times and a table of its nodes",
})
export class StatusCommand extends ApiCommandBase {
  constructor(private readonly output: CliOutput) {
    super();
  }

  async run([id]: string[], options: ApiCommandOptions = {}): Promise<void> {
    const execution = await this.client(options).getExecution(id);
    this.output.line(...formatExecutionStatus(execution));
    process.exitCode = UNSUCCESSFUL.has(execution.status) ? ExitCode.FAILED : ExitCode.OK;
  }

  @Help('after')
  exitCodes(): string {
    return exitCodesHelp([
      [ExitCode.OK, 'found: pending, running or completed'],
      [ExitCode.FAILED, 'found: failed or cancelled'],
      [ExitCode.USAGE, 'bad usage or a malformed id (HTTP 400)'],
      [ExitCode.UNAVAILABLE, 'not found (404), server unreachable, or another HTTP error'],
    ]);
  }
}
