import { CliOutput } from '../output/cli-output.service';
import { LineProgressReporter } from './line-progress.reporter';
import { ProgressReporter } from './progress-reporter.interface';
import { TtyProgressReporter } from './tty-progress.reporter';

/**
 * The progress display that suits stdout: a redrawn status line on a terminal, one line per
 * event otherwise (pipes, files, CI logs, tests).
 */
export function createProgressReporter(output: CliOutput, totalNodes: number): ProgressReporter {
  return output.interactive
    ? new TtyProgressReporter(output, totalNodes)
    : new LineProgressReporter(output, totalNodes);
}
