import { GraphValidationError, GraphValidator } from '@trellis/orchestration';
import { Command, CommandRunner, Help } from 'nest-commander';
import { CliEngineFactory } from '../engine/cli-engine.factory';
import { ExitCode, exitCodesHelp } from '../exit-code.constants';
import { readJsonFile } from '../input/json-file.reader';
import { CliOutput } from '../output/cli-output.service';
import { formatProblems } from '../output/problem.formatter';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `trellis validate FILE`: checks a graph definition with the library's validator, in process,
 * with the built-in node types. Prints `valid: N nodes, M edges`, or every problem.
 */
@Command({
  name: 'validate',
  arguments: '<file>',
  argsDescription: { file: 'graph definition (JSON, see docs/NODE-TYPES.md)' },
  description: 'Check a graph definition: prints "valid: N nodes, M edges" or every problem',
})
export class ValidateCommand extends CommandRunner {
  constructor(
    private readonly engines: CliEngineFactory,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([file]: string[]): Promise<void> {
    const definition = readJsonFile(file);
    const app = await this.engines.open();
    try {
      const graph = app.get(GraphValidator).compile(definition);
      this.output.line(
        `valid: ${count(graph.nodes.length, 'node')}, ${count(graph.deps.length, 'edge')}`,
      );
      process.exitCode = ExitCode.OK;
    } catch (error) {
      if (!(error instanceof GraphValidationError)) throw error;
      const more = error.total - error.problems.length;
      this.output.line(
        `invalid: ${count(error.total, 'problem')}`,
        ...formatProblems(error.problems),
        ...(more > 0 ? [`  ... and ${more} more`] : []),
      );
      process.exitCode = ExitCode.FAILED;
    } finally {
      await app.close();
    }
  }

  @Help('after')
  exitCodes(): string {
    return exitCodesHelp([
      [ExitCode.OK, 'the graph is valid'],
      [ExitCode.FAILED, 'the graph is invalid (every problem is printed)'],
      [ExitCode.USAGE, 'bad usage, unreadable file or malformed JSON'],
    ]);
  }
}
