import { ExitCode } from '../exit-code.constants';
import type { ErrorDetailDto } from '@trellis/orchestration/http';
import { formatProblems } from '../output/problem.formatter';
import { CliError } from './cli.error';

/**
 * The server answered with an error (`{ statusCode, code, message, details[] }`). Exit 2 for a
 * 400 (the request was invalid: graph, input, id), 3 otherwise (401, 404, 409, 429, 5xx).
 */
export class ApiRequestError extends CliError {
  constructor(
    /** The HTTP status of the answer. */
    readonly status: number,
    /** The API's error code, e.g. `GRAPH_INVALID`, `EXECUTION_NOT_FOUND`. */
    readonly code: string,
    message: string,
    /** The API's `details` (for `GRAPH_INVALID`: every problem). */
    readonly details: ErrorDetailDto[] = [],
  ) {
    super(
      `HTTP ${status} ${code}: ${message}`,
      status === 400 ? ExitCode.USAGE : ExitCode.UNAVAILABLE,
    );
  }

  override detailLines(): string[] {
    return formatProblems(this.details);
  }
}
