import { Injectable } from '@nestjs/common';

/**
 * Where the CLI writes: results and progress to stdout, errors to stderr. Commands write through
 * this service only, so the terminal handling (status line, width) lives in one place.
 */
@Injectable()
export class CliOutput {
  private readonly stdout: NodeJS.WriteStream = process.stdout;
  private readonly stderr: NodeJS.WriteStream = process.stderr;

  /** True when stdout is a terminal (not a pipe, file or CI log) that understands redrawing. */
  get interactive(): boolean {
    return this.stdout.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** Width of the terminal; 100 when not a terminal. */
  get columns(): number {
    return this.stdout.columns || 100;
  }

  /** Writes lines to stdout. */
  line(...lines: string[]): void {
    this.stdout.write(lines.map((l) => `${l}\n`).join(''));
  }

  /** Writes lines to stderr. */
  error(...lines: string[]): void {
    this.stderr.write(lines.map((l) => `${l}\n`).join(''));
  }

  /** Writes raw text (control sequences included) to stdout. */
  raw(text: string): void {
    this.stdout.write(text);
  }

  /** Resolves once everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    const drained = (stream: NodeJS.WriteStream) =>
      new Promise<void>((resolve) => stream.write('', () => resolve()));
    return Promise.all([drained(this.stdout), drained(this.stderr)]).then(() => undefined);
  }
}
