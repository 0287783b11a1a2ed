import { ServerSentEvent } from './server-sent-event.interface';

/**
 * Parses a `text/event-stream` body (the WHATWG "event stream interpretation") into events, as
 * the bytes arrive: lines end with LF, CRLF or CR, a blank line dispatches the event, `:` lines
 * are comments (keep-alives), an event without data is dropped. Chunk boundaries may fall
 * anywhere, even inside a multi-byte character or between CR and LF.
 */
export async function* parseEventStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let pendingCr = false;

  const take = (line: string): ServerSentEvent | undefined => {
    if (line === '') {
      const dispatched =
        data.length > 0 ? { event: event || 'message', data: data.join('\n'), id } : undefined;
      event = '';
      data = [];
      return dispatched;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    return undefined;
  };

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    // NOTE: a CR at the end of the last chunk may be the first half of CRLF.
    if (pendingCr && buffer.startsWith('\n')) buffer = buffer.slice(1);
    pendingCr = false;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      const line = buffer.slice(start, i);
      if (c === '\r') {
        if (i + 1 < buffer.length) {
          if (buffer[i + 1] === '\n') i++;
        } else {
          pendingCr = true;
        }
      }
      start = i + 1;
      const dispatched = take(line);
      if (dispatched) yield dispatched;
    }
    buffer = buffer.slice(start);
  }
}
