import { ExitCode } from '../exit-code.constants';

/**
 * Base of the failures the CLI reports itself: `message` is shown to the user as is and the
 * process ends with `exitCode`. Anything else that escapes a command is an unexpected error.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** How the process ends when this error stops a command. */
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Lines shown after the message (problems, details); none by default. */
  detailLines(): string[] {
    return [];
  }
}
