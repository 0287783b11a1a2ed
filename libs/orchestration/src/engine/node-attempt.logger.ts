import { Logger, LoggerService } from '@nestjs/common';

/**
 * The logger a node handler gets: every entry carries the execution id, node id and attempt as
 * fields (a JSON logger such as nestjs-pino writes them as keys), so one execution's log lines
 * can be found together.
 */
export class NodeAttemptLogger implements LoggerService {
  private readonly base: Logger;

  constructor(private readonly fields: { executionId: string; nodeId: string; attempt: number }) {
    this.base = new Logger(`Trellis:${fields.nodeId}`);
  }

  log(message: unknown): void {
    this.base.log(this.entry(message));
  }

  error(message: unknown): void {
    this.base.error(this.entry(message));
  }

  warn(message: unknown): void {
    this.base.warn(this.entry(message));
  }

  debug(message: unknown): void {
    this.base.debug(this.entry(message));
  }

  verbose(message: unknown): void {
    this.base.verbose(this.entry(message));
  }

  private entry(message: unknown): Record<string, unknown> {
    if (message instanceof Error) {
      return { ...this.fields, msg: `${message.name}: ${message.message}`, stack: message.stack };
    }
    return { ...this.fields, msg: typeof message === 'string' ? message : JSON.stringify(message) };
  }
}
