import { describe, expect, it } from '@jest/globals';
import { EventStreamParser } from './event-stream.parser';

interface Parsed {
  event: string;
  data: string;
  id: string | null;
}

/** Feeds `chunks` to a fresh parser; the events it emitted and the retry it kept. */
function parse(...chunks: string[]): { events: Parsed[]; retryMs: number | null } {
  const events: Parsed[] = [];
  const parser = new EventStreamParser((event, data, id) => events.push({ event, data, id }));
  for (const chunk of chunks) parser.push(chunk);
  return { events, retryMs: parser.retryMs };
}

/** Every way to cut `text` in two. */
function splits(text: string): [string, string][] {
  return [...text].map((_, i) => [text.slice(0, i), text.slice(i)]);
}

const STREAM =
  ': keep-alive\n' +
  'id: 7\nevent: transition\ndata: {"seq":7}\n\n' +
  'retry: 1500\n' +
  'event: end\ndata: {"status":\ndata: "completed"}\nid: 8\n\n';

const EXPECTED: Parsed[] = [
  { event: 'transition', data: '{"seq":7}', id: '7' },
  { event: 'end', data: '{"status":\n"completed"}', id: '8' },
];

describe('EventStreamParser', () => {
  it('emits named events with their ids, joins multi-line data with LF and keeps retry', () => {
    const { events, retryMs } = parse(STREAM);

    expect(events).toEqual(EXPECTED);
    expect(retryMs).toBe(1500);
  });

  it('emits the same events wherever a chunk boundary falls, mid-line or mid-field', () => {
    for (const [head, tail] of splits(STREAM)) {
      expect({ at: head.length, ...parse(head, tail) }).toEqual({
        at: head.length,
        events: EXPECTED,
        retryMs: 1500,
      });
    }
  });

  it('emits the same events one character at a time', () => {
    expect(parse(...STREAM).events).toEqual(EXPECTED);
  });

  it('reads CRLF and lone CR line ends as LF', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const cr = STREAM.replaceAll('\n', '\r');

    expect(parse(crlf).events).toEqual(EXPECTED);
    expect(parse(cr).events).toEqual(EXPECTED);
  });

  it('reads a CRLF split between two chunks as one line end, not an empty line', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    for (const [head, tail] of splits(crlf).filter(([h]) => h.endsWith('\r'))) {
      expect({ at: head.length, events: parse(head, tail).events }).toEqual({
        at: head.length,
        events: EXPECTED,
      });
    }
  });

  it('names an event without an event field "message", and an id sticks to later events', () => {
    const { events } = parse('id: 3\ndata: a\n\ndata: b\n\nevent: x\nid:\ndata: c\n\n');

    expect(events).toEqual([
      { event: 'message', data: 'a', id: '3' },
      { event: 'message', data: 'b', id: '3' },
      { event: 'x', data: 'c', id: '' },
    ]);
  });

  it('emits nothing for a blank line without data, and resets the event name there', () => {
    const { events } = parse('event: lost\n\n\n\ndata: kept\n\n');

    expect(events).toEqual([{ event: 'message', data: 'kept', id: null }]);
  });

  it('strips one space after the colon only, keeps a field without a colon as empty', () => {
    const { events } = parse('data:  two spaces\ndata\ndata:none\n\n');

    expect(events).toEqual([{ event: 'message', data: ' two spaces\n\nnone', id: null }]);
  });

  it('ignores comments, unknown fields and a retry that is not all digits', () => {
    const { events, retryMs } = parse(':comment\nfoo: bar\nretry: 10s\ndata: x\n\nretry: -5\n');

    expect(events).toEqual([{ event: 'message', data: 'x', id: null }]);
    expect(retryMs).toBeNull();
  });

  it('holds an event until its blank line: a stream cut before it emits nothing', () => {
    expect(parse('event: end\ndata: {}\n').events).toEqual([]);
  });
});
