import { CliOutput } from '../output/cli-output.service';
import { formatDuration } from '../output/duration.formatter';
import { ProgressEvent } from './progress-event.interface';
import { ProgressReporter } from './progress-reporter.interface';
import { ProgressState } from './progress.state';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';
const TICK_MS = 100;

/**
 * Progress on a terminal: one status line, redrawn in place
 * (`⠹ 3/10 done · running: build, lint +2 · 1 failed · 4.2 s`); failures and cancellations are
 * printed above it as they happen and stay.
 */
export class TtyProgressReporter implements ProgressReporter {
  private readonly state: ProgressState;
  private readonly startedAt = Date.now();
  private readonly timer: NodeJS.Timeout;
  private frame = 0;
  private stopped = false;

  constructor(
    private readonly output: CliOutput,
    total: number,
  ) {
    this.state = new ProgressState(total);
    this.timer = setInterval(() => {
      this.frame++;
      this.draw();
    }, TICK_MS);
    this.timer.unref();
    this.draw();
  }

  event(event: ProgressEvent): void {
    this.state.apply(event);
    if (event.kind === 'node' && (event.to === 'failed' || event.to === 'cancelled')) {
      this.note(`✗ ${event.to} ${event.nodeId}${event.reason ? `: ${event.reason}` : ''}`);
    } else {
      this.draw();
    }
  }

  note(message: string): void {
    if (this.stopped) return this.output.line(message);
    this.output.raw(`${CLEAR_LINE}${message}\n`);
    this.draw();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.output.raw(CLEAR_LINE);
  }

  private draw(): void {
    if (this.stopped) return;
    const { done, total, failed, running } = this.state;
    const parts = [`${SPINNER[this.frame % SPINNER.length]} ${done}/${total} done`];
    if (running.length > 0) {
      const shown = running.slice(0, 3).join(', ');
      parts.push(`running: ${shown}${running.length > 3 ? ` +${running.length - 3}` : ''}`);
    }
    if (failed > 0) parts.push(`${failed} failed`);
    parts.push(formatDuration(Date.now() - this.startedAt));
    const line = parts.join(' · ');
    const width = this.output.columns - 1;
    this.output.raw(
      CLEAR_LINE + (line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line),
    );
  }
}
