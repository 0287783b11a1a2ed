import { INestApplicationContext } from '@nestjs/common';
import {
  ExecutionEngine,
  ExecutionStatus,
  GraphRecord,
  GraphValidationError,
  StateTracker,
} from '@trellis/orchestration';
import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { filter } from 'rxjs';
import { CliEngineFactory } from '../engine/cli-engine.factory';
import { InvalidGraphError } from '../errors';
import { ExitCode, exitCodesHelp } from '../exit-code.constants';
import { parseInputOption } from '../input/input-option.parser';
import { readJsonFile } from '../input/json-file.reader';
import { CliOutput } from '../output/cli-output.service';
import { formatExecutionSummary } from '../output/execution-report.formatter';
import { createProgressReporter } from '../progress/progress-reporter.factory';
import { InterruptListener } from './interrupt.listener';

/** Parsed options of `trellis run`. */
export interface RunCommandOptions {
  input?: Record<string, unknown>;
  allowCommand?: string[];
}

/**
 * `trellis run FILE`: runs a graph in this process on the embedded in-memory store and shows
 * its progress live. Ctrl-C cancels the execution (cleanup nodes still run), then exits 130.
 */
@Command({
  name: 'run',
  arguments: '<file>',
  argsDescription: { file: 'graph definition (JSON, see docs/NODE-TYPES.md)' },
  description:
    'Run a graph in this process (embedded in-memory store) with live progress; Ctrl-C cancels it',
})
export class RunCommand extends CommandRunner {
  constructor(
    private readonly engines: CliEngineFactory,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([file]: string[], options: RunCommandOptions = {}): Promise<void> {
    const definition = readJsonFile(file);
    const app = await this.engines.open({ commandAllowlist: options.allowCommand ?? [] });
    try {
      process.exitCode = await this.execute(app, file, definition, options.input);
    } finally {
      await app.close();
    }
  }

  @Option({
    flags: '-i, --input <json>',
    description: 'execution input: a JSON object, or @file.json (merged over the graph\'s "input")',
  })
  parseInput(value: string): Record<string, unknown> {
    return parseInputOption(value);
  }

  @Option({
    flags: '--allow-command <exe>',
    description:
      'let `command` actions run this executable (exact argv[0]); repeat or comma-separate for more',
  })
  parseAllowCommand(value: string, previous: string[] = []): string[] {
    return [...previous, ...value.split(',').filter((exe) => exe.trim() !== '')];
  }

  @Help('after')
  exitCodes(): string {
    return exitCodesHelp([
      [ExitCode.OK, 'the execution completed'],
      [ExitCode.FAILED, 'it failed or was cancelled (the execution error is printed)'],
      [
        ExitCode.USAGE,
        'bad usage, unreadable file, malformed JSON, invalid graph (problems listed)',
      ],
      [
        ExitCode.INTERRUPTED,
        'Ctrl-C: the execution was cancelled, cleanup nodes ran; twice exits at once',
      ],
    ]);
  }

  private async execute(
    app: INestApplicationContext,
    file: string,
    definition: unknown,
    input: Record<string, unknown> | undefined,
  ): Promise<number> {
    const engine = app.get(ExecutionEngine);
    const tracker = app.get(StateTracker);
    const graph = await this.createGraph(engine, file, definition);
    const total = graph.definition.nodes.length;
    this.output.line(`running graph "${graph.name}": ${total} node${total === 1 ? '' : 's'}`);

    const reporter = createProgressReporter(this.output, total);
    const subscription = tracker.events$
      .pipe(filter((event) => event.graphId === graph.id))
      .subscribe((event) => reporter.event(event));
    let executionId: string | undefined;
    const cancel = () =>
      engine.cancel(executionId!, 'cli', 'interrupted by SIGINT').catch(() => undefined);
    const interrupt = new InterruptListener(() => {
      reporter.note(
        'interrupted: cancelling the execution (cleanup nodes still run); Ctrl-C again exits at once',
      );
      if (executionId) void cancel();
    });
    try {
      const { execution } = await engine.startExecution(graph.id, { input, by: 'cli' });
      executionId = execution.id;
      if (interrupt.interrupted) await cancel();
      const done = await engine.waitFor(execution.id);
      const nodes = await engine.getNodeStates(execution.id);
      reporter.stop();
      this.output.line(...formatExecutionSummary({ ...done, nodes }));
      if (interrupt.interrupted) return ExitCode.INTERRUPTED;
      return done.status === ExecutionStatus.COMPLETED ? ExitCode.OK : ExitCode.FAILED;
    } finally {
      interrupt.dispose();
      subscription.unsubscribe();
      reporter.stop();
    }
  }

  private async createGraph(
    engine: ExecutionEngine,
    file: string,
    definition: unknown,
  ): Promise<GraphRecord> {
    try {
      return await engine.createGraph(definition);
    } catch (error) {
      if (error instanceof GraphValidationError)
        throw new InvalidGraphError(file, error.problems, error.total);
      throw error;
    }
  }
}
