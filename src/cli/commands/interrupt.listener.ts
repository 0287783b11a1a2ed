import { ExitCode } from '../exit-code.constants';

/**
 * Ctrl-C while a command runs: the first SIGINT calls `onInterrupt` (cancel, stop following),
 * a second one exits at once with 130. Replaces Node's default of dying on the first one.
 */
export class InterruptListener {
  private count = 0;
  private readonly handler = (): void => {
    if (++this.count > 1) process.exit(ExitCode.INTERRUPTED);
    this.onInterrupt();
  };

  constructor(private readonly onInterrupt: () => void) {
    process.on('SIGINT', this.handler);
  }

  /** True once a SIGINT arrived. */
  get interrupted(): boolean {
    return this.count > 0;
  }

  /** Stops listening; SIGINT has its default meaning again. */
  dispose(): void {
    process.off('SIGINT', this.handler);
  }
}
