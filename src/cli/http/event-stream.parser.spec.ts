import { parseEventStream } from './event-stream.parser';
import { ServerSentEvent } from './server-sent-event.interface';

async function parse(...chunks: (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks)
      yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(body())) events.push(event);
  return events;
}

describe('parseEventStream', () => {
  it('reads id, event and data fields and dispatches on a blank line', async () => {
    await expect(
      parse(
        'id: 7\nevent: transition\ndata: {"seq":7}\n\nevent: end\ndata: {"status":"completed"}\n\n',
      ),
    ).resolves.toEqual([
      { id: '7', event: 'transition', data: '{"seq":7}' },
      { id: '7', event: 'end', data: '{"status":"completed"}' },
    ]);
  });

  it('joins data lines, ignores comments and drops an event without data', async () => {
    await expect(parse(': keep-alive\n\nevent: lonely\n\ndata: a\ndata:b\n\n')).resolves.toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('accepts CRLF and CR line ends, even when a chunk ends between CR and LF', async () => {
    await expect(parse('data: one\r', '\ndata: two\r\n\r', '\ndata: three\r\r')).resolves.toEqual([
      { event: 'message', data: 'one\ntwo' },
      { event: 'message', data: 'three' },
    ]);
  });

  it('reassembles fields and multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: transition\ndata: {"reason":"café ✓"}\n\n');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    await expect(parse(...chunks)).resolves.toEqual([
      { event: 'transition', data: '{"reason":"café ✓"}' },
    ]);
  });

  it('does not dispatch an event the stream ended in the middle of', async () => {
    await expect(parse('data: complete\n\ndata: cut off')).resolves.toEqual([
      { event: 'message', data: 'complete' },
    ]);
  });
});
