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
    const text = this.buffer + chunk;
    // NOTE: one pass with a moving start and one slice of the rest at the end: a large chunk (a
    // long replay after a reconnect) costs its length, not its length times its lines.
    const ends = /\r\n|\r|\n/g;
    let start = 0;
    for (let end = ends.exec(text); end; end = ends.exec(text)) {
      this.line(text.slice(start, end.index));
      start = end.index + end[0].length;
    }
    this.buffer = start === 0 ? text : text.slice(start);
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
