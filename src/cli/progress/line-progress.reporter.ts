import { CliOutput } from '../output/cli-output.service';
import { ProgressEvent } from './progress-event.interface';
import { ProgressReporter } from './progress-reporter.interface';
import { ProgressState } from './progress.state';

const VERBS: Record<string, string> = {
  running: 'started',
  completed: 'completed',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
};
const VERB_WIDTH = Math.max(...Object.values(VERBS).map((v) => v.length));

/**
 * Progress for logs and pipes (not a terminal): one line per node that starts, completes,
 * fails, is skipped or cancelled, prefixed with `[done/total]`, e.g.
 * `[1/3] failed    check: 1 of 1 validation rule(s) broken: ...`.
 */
export class LineProgressReporter implements ProgressReporter {
  private readonly state: ProgressState;

  constructor(
    private readonly output: CliOutput,
    total: number,
  ) {
    this.state = new ProgressState(total);
  }

  event(event: ProgressEvent): void {
    this.state.apply(event);
    const verb = event.kind === 'node' ? VERBS[event.to] : undefined;
    if (!verb) return;
    let text = `${this.counter()} ${verb.padEnd(VERB_WIDTH)} ${event.nodeId}`;
    if (event.to === 'running' && (event.attempt ?? 1) > 1) text += ` (attempt ${event.attempt})`;
    else if (event.to !== 'running' && event.to !== 'completed' && event.reason)
      text += `: ${event.reason}`;
    this.output.line(text);
  }

  note(message: string): void {
    this.output.line(message);
  }

  stop(): void {
    // NOTE: nothing to clear; every line is final.
  }

  private counter(): string {
    const total = String(this.state.total);
    return `[${String(this.state.done).padStart(total.length)}/${total}]`;
  }
}
