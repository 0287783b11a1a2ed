import { GraphProblem } from '@trellis/orchestration';
import { ExitCode } from '../exit-code.constants';
import { formatProblems } from '../output/problem.formatter';
import { CliError } from './cli.error';

/** The engine rejected a graph definition; every problem is listed. Exit 2 (`run`). */
export class InvalidGraphError extends CliError {
  constructor(
    file: string,
    readonly problems: GraphProblem[],
    /** How many problems there were in all (the engine lists at most the first 100). */
    readonly total = problems.length,
  ) {
    super(
      `${file}: the graph is invalid (${total} problem${total === 1 ? '' : 's'})`,
      ExitCode.USAGE,
    );
  }

  override detailLines(): string[] {
    const more = this.total - this.problems.length;
    return [...formatProblems(this.problems), ...(more > 0 ? [`  ... and ${more} more`] : [])];
  }
}
