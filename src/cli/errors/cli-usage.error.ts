import { ExitCode } from '../exit-code.constants';
import { CliError } from './cli.error';

/** The command line cannot be acted on: a bad option value, an unreadable or malformed file. Exit 2. */
export class CliUsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.USAGE, options);
  }
}
