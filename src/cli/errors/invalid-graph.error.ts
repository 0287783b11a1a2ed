import { GraphProblem } from '@trellis/orchestration';
import { ExitCode } from '../exit-code.constants';
import { formatProblems } from '../output/problem.formatter';
import { CliError } from './cli.error';

/** The engine rejected a graph definition; every problem is listed. Exit 2 (`run`). */
export class InvalidGraphError extends CliError {
  constructor(
    file: string,
    readonly problems: GraphProblem[],
  ) {
    super(
      `${file}: the graph is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      ExitCode.USAGE,
    );
  }

  override detailLines(): string[] {
    return formatProblems(this.problems);
  }
}
