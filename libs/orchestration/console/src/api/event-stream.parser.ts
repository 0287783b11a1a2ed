/**
 * Parses text/event-stream chunks into events, by the WHATWG rules the console needs: lines end in
 * CRLF, LF or CR (a chunk may end anywhere, even between CR and LF); `data` lines join with `\n`;
 * a blank line dispatches (nothing when no data); `:` starts a comment; the last `id` sticks to
 * later events; `retry` (digits only) sets `retryMs`.
 */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;
  /** The last chunk ended in CR: an LF opening the next one ends no further line. */
  private afterCr = false;
  /** The reconnection delay the server last asked for, if any. */
  retryMs: number | null = null;

  constructor(private readonly emit: (event: string, data: string, id: string | null) => void) {}

  /** Feeds the next decoded chunk; emits every event it completes. */
  push(chunk: string): void {
    if (chunk === '') return;
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = chunk.endsWith('\r');
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const skip = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + skip);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.emit(this.event || 'message', this.data.join('\n'), this.id);
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id') this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }
}
