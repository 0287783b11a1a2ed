/** Bytes of output kept by default: the last 4 KiB. */
export const OUTPUT_TAIL_BYTES = 4096;

/**
 * Keeps the last `limit` bytes of a stream of chunks (stdout and stderr interleaved, or a
 * response body) without holding the whole output in memory.
 */
export class OutputTailBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Bytes seen in total, kept or not. */
  total = 0;

  /** @param limit bytes kept. Default `OUTPUT_TAIL_BYTES` (4096). */
  constructor(private readonly limit = OUTPUT_TAIL_BYTES) {}

  /** Appends a chunk, dropping the oldest bytes beyond the limit. */
  push(chunk: Buffer | Uint8Array | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    this.total += buffer.length;
    this.chunks.push(buffer);
    this.held += buffer.length;
    while (this.chunks.length > 1 && this.held - this.chunks[0].length >= this.limit) {
      this.held -= this.chunks.shift()!.length;
    }
  }

  /** The kept bytes as UTF-8, starting on a character boundary. */
  toString(): string {
    let tail = Buffer.concat(this.chunks);
    if (tail.length > this.limit) tail = tail.subarray(tail.length - this.limit);
    let start = 0;
    // NOTE: a cut may land inside a multi-byte character; skip its continuation bytes (10xxxxxx).
    if (this.total > tail.length)
      while (start < tail.length && (tail[start] & 0xc0) === 0x80) start++;
    return tail.subarray(start).toString('utf8');
  }
}
