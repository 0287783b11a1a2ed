import { CliOutput } from '../output/cli-output.service';
import { TtyProgressReporter } from './tty-progress.reporter';

const CLEAR_LINE = '\r\x1b[2K';

/** A terminal of the given width that records what is written to it. */
function terminal(columns = 200) {
  const written: string[] = [];
  const output = {
    columns,
    raw: (text: string) => written.push(text),
    line: (...lines: string[]) => written.push(...lines.map((l) => `${l}\n`)),
  } as unknown as CliOutput;
  return {
    output,
    written,
    /** The status line as it stands now. */
    statusLine: () => written.join('').split(CLEAR_LINE).pop()!,
    /** Lines that were printed for good (above the status line). */
    kept: () =>
      written
        .join('')
        .split('\n')
        .slice(0, -1)
        .map((line) => line.split(CLEAR_LINE).pop()),
  };
}

const node = (nodeId: string, from: string, to: string, reason?: string) => ({
  kind: 'node' as const,
  nodeId,
  from,
  to,
  reason,
});

describe('TtyProgressReporter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('redraws one status line with the count done, the running nodes and the failures', () => {
    const tty = terminal();
    const reporter = new TtyProgressReporter(tty.output, 6);
    for (const id of ['a', 'b', 'c', 'd', 'e']) reporter.event(node(id, 'ready', 'running'));
    reporter.event(node('a', 'running', 'completed'));
    expect(tty.statusLine()).toMatch(/^. 1\/6 done · running: b, c, d \+1 · \d+ ms$/);
    reporter.event(node('b', 'running', 'failed', 'boom'));
    expect(tty.statusLine()).toMatch(/^. 2\/6 done · running: c, d, e · 1 failed · \d+ ms$/);
    expect(tty.kept()).toEqual(['✗ failed b: boom']);
    reporter.stop();
  });

  it('keeps every failure and cancellation on its own line above the status line', () => {
    const tty = terminal();
    const reporter = new TtyProgressReporter(tty.output, 3);
    reporter.event(node('a', 'running', 'failed', 'exit code 1'));
    reporter.event(node('b', 'pending', 'skipped', 'dependency a failed'));
    reporter.event(node('c', 'running', 'cancelled', 'interrupted'));
    reporter.note('interrupted: cancelling');
    expect(tty.kept()).toEqual([
      '✗ failed a: exit code 1',
      '✗ cancelled c: interrupted',
      'interrupted: cancelling',
    ]);
    reporter.stop();
  });

  it('cuts the status line to the terminal width', () => {
    const tty = terminal(30);
    const reporter = new TtyProgressReporter(tty.output, 2);
    reporter.event(node('a-node-with-a-long-name', 'ready', 'running'));
    expect(tty.statusLine()).toHaveLength(29);
    expect(tty.statusLine().endsWith('…')).toBe(true);
    reporter.stop();
  });

  it('clears the status line on stop and draws nothing after', () => {
    const tty = terminal();
    const reporter = new TtyProgressReporter(tty.output, 1);
    jest.advanceTimersByTime(250);
    reporter.stop();
    expect(tty.written.at(-1)).toBe(CLEAR_LINE);
    const count = tty.written.length;
    jest.advanceTimersByTime(1000);
    expect(tty.written).toHaveLength(count);
  });
});
