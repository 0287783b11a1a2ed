import { CliError } from './errors';
import { ExitCode } from './exit-code.constants';
import { CliOutput } from './output/cli-output.service';

/** The fields of commander's `CommanderError` that matter here. */
interface CommanderErrorLike {
  code: string;
  exitCode: number;
}

function isCommanderError(error: unknown): error is CommanderErrorLike {
  const code = (error as Partial<CommanderErrorLike> | null)?.code;
  return typeof code === 'string' && code.startsWith('commander.');
}

/**
 * The one place a failed command becomes output and an exit code: a command-line error (commander
 * has printed it already, or the help) exits 2, or 0 for `--help`; a `CliError` prints its message
 * and details to stderr and exits with its code; anything else is unexpected and exits 1.
 */
export function handleCliError(error: Error): void {
  if (isCommanderError(error)) {
    process.exitCode = error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    return;
  }
  const output = new CliOutput();
  if (error instanceof CliError) {
    output.error(`trellis: ${error.message}`, ...error.detailLines());
    process.exitCode = error.exitCode;
    return;
  }
  output.error(`trellis: unexpected error: ${error.stack ?? String(error)}`);
  process.exitCode = ExitCode.FAILED;
}
