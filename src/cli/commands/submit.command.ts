import { ExecutionStatus, type ExecutionStreamEnd } from '@trellis/orchestration';
import { Command, Help, Option } from 'nest-commander';
import { ApiUnreachableError, CliUsageError } from '../errors';
import { ExitCode, exitCodesHelp } from '../exit-code.constants';
import { TrellisApiClient } from '../http/trellis-api.client';
import { parseInputOption } from '../input/input-option.parser';
import { readJsonFile } from '../input/json-file.reader';
import { CliOutput } from '../output/cli-output.service';
import { formatExecutionSummary } from '../output/execution-report.formatter';
import { ProgressEvent } from '../progress/progress-event.interface';
import { createProgressReporter } from '../progress/progress-reporter.factory';
import { ApiCommandBase, ApiCommandOptions } from './api-command.base';
import { InterruptListener } from './interrupt.listener';

/** Parsed options of `trellis submit`. */
export interface SubmitCommandOptions extends ApiCommandOptions {
  input?: Record<string, unknown>;
  idempotencyKey?: string;
  wait?: boolean;
  graph?: string;
}

/**
 * `trellis submit FILE`: stores the graph on a server (`POST /graphs`) and starts an execution
 * (`POST /graphs/:id/executions`); prints both ids. `--graph ID` starts an execution of a graph
 * already stored instead (so `--idempotency-key`, unique per graph, can return the execution a
 * previous submit started). With `--wait`, follows the execution's event stream with live
 * progress and exits by its final status.
 */
@Command({
  name: 'submit',
  arguments: '[file]',
  argsDescription: { file: 'graph definition (JSON, see docs/NODE-TYPES.md); or use --graph' },
  description: 'Store a graph on a Trellis server and start an execution; --wait follows it',
})
export class SubmitCommand extends ApiCommandBase {
  constructor(private readonly output: CliOutput) {
    super();
  }

  async run([file]: string[], options: SubmitCommandOptions = {}): Promise<void> {
    if ((file === undefined) === (options.graph === undefined)) {
      throw new CliUsageError('submit needs a graph file or --graph ID, not both');
    }
    const client = this.client(options);
    const graph = options.graph
      ? await client.getGraph(options.graph)
      : await client.createGraph(readJsonFile(file));
    this.output.line(`graph      ${graph.id}`);
    const { execution, replayed } = await client.startExecution(graph.id, {
      input: options.input,
      idempotencyKey: options.idempotencyKey,
    });
    const note = replayed ? `, existing execution for key ${options.idempotencyKey}` : '';
    this.output.line(`execution  ${execution.id} (${execution.status}${note})`);
    process.exitCode = options.wait
      ? await this.follow(client, execution.id, graph.nodeCount)
      : ExitCode.OK;
  }

  @Option({
    flags: '-i, --input <json>',
    description: 'execution input: a JSON object, or @file.json',
  })
  parseInput(value: string): Record<string, unknown> {
    return parseInputOption(value);
  }

  @Option({
    flags: '--idempotency-key <key>',
    description: 'idempotency key of the execution (1..200 characters, unique per graph)',
  })
  parseIdempotencyKey(value: string): string {
    return value;
  }

  @Option({
    flags: '-g, --graph <id>',
    description: 'start an execution of this stored graph instead of storing FILE',
  })
  parseGraph(value: string): string {
    return value;
  }

  @Option({
    flags: '-w, --wait',
    description: 'follow the execution live and exit by its final status',
  })
  parseWait(): boolean {
    return true;
  }

  @Help('after')
  exitCodes(): string {
    return exitCodesHelp([
      [ExitCode.OK, 'submitted; with --wait: the execution completed'],
      [ExitCode.FAILED, 'with --wait: the execution failed or was cancelled'],
      [
        ExitCode.USAGE,
        'bad usage, unreadable file, malformed JSON, rejected by the server (HTTP 400)',
      ],
      [ExitCode.UNAVAILABLE, 'server unreachable, or another HTTP error (401, 404, 5xx)'],
      [ExitCode.INTERRUPTED, 'Ctrl-C while following; the execution goes on on the server'],
    ]);
  }

  private async follow(client: TrellisApiClient, id: string, total: number): Promise<number> {
    const reporter = createProgressReporter(this.output, total);
    const abort = new AbortController();
    const interrupt = new InterruptListener(() => abort.abort());
    let end: ExecutionStreamEnd | undefined;
    try {
      for await (const event of client.followEvents(id, abort.signal)) {
        if (event.event === 'transition') reporter.event(parseEventData<ProgressEvent>(event.data));
        else if (event.event === 'end') end = parseEventData<ExecutionStreamEnd>(event.data);
      }
    } catch (error) {
      if (!interrupt.interrupted) throw error;
    } finally {
      interrupt.dispose();
      reporter.stop();
    }
    if (interrupt.interrupted || !end) {
      this.output.line(
        `stopped following; execution ${id} goes on on the server (trellis status ${id})`,
      );
      return ExitCode.INTERRUPTED;
    }
    this.output.line(...formatExecutionSummary(await client.getExecution(id)));
    return end.status === ExecutionStatus.COMPLETED ? ExitCode.OK : ExitCode.FAILED;
  }
}

function parseEventData<T>(data: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new ApiUnreachableError(
      'the event stream',
      `malformed event data: ${data.slice(0, 100)}`,
    );
  }
}
