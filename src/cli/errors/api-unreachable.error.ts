import { ExitCode } from '../exit-code.constants';
import { CliError } from './cli.error';

/** The server did not answer (connection refused, DNS, a stream that kept dropping). Exit 3. */
export class ApiUnreachableError extends CliError {
  constructor(
    /** The URL that was requested. */
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach the Trellis server at ${url}: ${reason}`, ExitCode.UNAVAILABLE, options);
  }
}
