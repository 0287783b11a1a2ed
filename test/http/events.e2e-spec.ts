import {
  databaseName,
  databaseUri,
  expectError,
  ISO_MS,
  readSse,
  request,
  serverPerSuite,
  SseEvent,
  until,
  waitForStatus,
} from '../fixtures/trellis-server';

const mongoUri = databaseUri(databaseName('events'));

const gated = {
  name: 'gated',
  nodes: [
    { id: 'start', type: 'DELAY', config: { ms: 0 } },
    { id: 'gate', type: 'SYNCHRONIZATION', dependsOn: ['start'], config: { waitForSignal: true } },
    { id: 'finish', type: 'DELAY', dependsOn: ['gate'], config: { ms: 10 } },
  ],
};

const DOCUMENTED = ['seq', 'kind', 'executionId', 'graphId', 'nodeId', 'from', 'to', 'at', 'by'];

/**
 * An event as docs/HTTP-API.md describes it: the documented fields of a transition (live events
 * also carry undocumented timing fields, durationMs and waitMs, that replays do not).
 */
function documented(events: SseEvent[]) {
  return events.map((event) => {
    const data = JSON.parse(event.data);
    if (event.event !== 'transition') return { ...event, data };
    const kept = Object.fromEntries(
      [...DOCUMENTED, 'reason', 'attempt'].filter((k) => k in data).map((k) => [k, data[k]]),
    );
    return { ...event, data: kept };
  });
}

const isGateWaiting = (event: SseEvent) =>
  event.event === 'transition' &&
  JSON.parse(event.data).nodeId === 'gate' &&
  JSON.parse(event.data).to === 'waiting';

/** The events of `events` whose id is greater than `after`: what a client resuming there must get. */
function eventsAfter(events: SseEvent[], after: number): SseEvent[] {
  return events.filter((e) => e.event !== 'transition' || Number(e.id) > after);
}

describe('HTTP live events (SSE)', () => {
  const suite = serverPerSuite(mongoUri);
  let api: string;
  let graphId: string;

  async function startGated(): Promise<string> {
    const res = await request(`${api}/graphs/${graphId}/executions`, { body: {} });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  function signalGate(executionId: string) {
    return request(`${api}/executions/${executionId}/nodes/gate/signal`, {
      body: { payload: { go: true } },
    });
  }

  beforeAll(async () => {
    api = suite.url;
    graphId = (await request(`${api}/graphs`, { body: gated })).body.id;
  }, 60_000);

  describe('a stream of a running execution', () => {
    let executionId: string;
    let live: Awaited<ReturnType<typeof readSse>>;
    let transitions: SseEvent[];

    beforeAll(async () => {
      executionId = await startGated();
      let signalled: Promise<unknown> | undefined;
      // NOTE: the gate waits until the stream has shown it waiting, so the rest arrives live.
      live = await readSse(`${api}/executions/${executionId}/events`, {
        onEvent: (event) => {
          if (!signalled && isGateWaiting(event)) signalled = signalGate(executionId);
        },
      });
      expect(signalled).toBeDefined();
      expect((await signalled!) as { status: number }).toMatchObject({ status: 202 });
      transitions = live.events.filter((e) => e.event === 'transition');
    }, 30_000);

    it('is text/event-stream and closes after the end event', () => {
      expect(live.status).toBe(200);
      expect(live.contentType).toMatch(/^text\/event-stream/);
      expect(live.closed).toBe(true);
    });

    it('delivers every transition once stored, ids equal to seq and strictly increasing, oldest first', () => {
      expect(transitions).toHaveLength(14);
      transitions.forEach((event, i) => {
        const data = JSON.parse(event.data);
        expect(event.id).toBe(String(data.seq));
        if (i > 0) expect(data.seq).toBeGreaterThan(JSON.parse(transitions[i - 1].data).seq);
        expect(data).toMatchObject({
          seq: expect.any(Number),
          kind: expect.stringMatching(/^(execution|node)$/),
          executionId,
          graphId,
          from: expect.any(String),
          to: expect.any(String),
          at: expect.stringMatching(ISO_MS),
          by: expect.any(String),
        });
      });
      const data = transitions.map((e) => JSON.parse(e.data));
      expect(data[0]).toMatchObject({ kind: 'execution', to: 'pending', seq: 1 });
      expect(
        data.filter((d) => d.kind === 'node' && d.nodeId === 'finish').map((d) => d.to),
      ).toEqual(['ready', 'running', 'completed']);
      expect(data.filter((d) => d.kind === 'execution').map((d) => d.to)).toEqual([
        'pending',
        'running',
        'completed',
      ]);
      const gate = data.filter((d) => d.nodeId === 'gate');
      expect(gate.map((d) => [d.from, d.to, d.attempt])).toEqual([
        ['pending', 'ready', 0],
        ['ready', 'waiting', 0],
        ['waiting', 'ready', 0],
        ['ready', 'running', 1],
        ['running', 'completed', 1],
      ]);
    });

    it('leaves the position of the signal out: the only gap in the ids is just before the gate is released', () => {
      const seqs = transitions.map((e) => Number(e.id));
      const missing = [];
      for (let seq = 1; seq < seqs[seqs.length - 1]; seq++) {
        if (!seqs.includes(seq)) missing.push(seq);
      }
      const released = transitions
        .map((e) => JSON.parse(e.data))
        .find((d) => d.nodeId === 'gate' && d.from === 'waiting');

      expect(missing).toEqual([released.seq - 1]);
    });

    it('ends with one end event carrying the final status', () => {
      const ends = live.events.filter((e) => e.event === 'end');
      expect(ends).toHaveLength(1);
      expect(live.events[live.events.length - 1]).toBe(ends[0]);
      expect(JSON.parse(ends[0].data)).toEqual({ id: executionId, status: 'completed' });
    });

    it('replays the same events for an ended execution, then ends', async () => {
      const replay = await readSse(`${api}/executions/${executionId}/events`);

      expect(replay.closed).toBe(true);
      expect(documented(replay.events)).toEqual(documented(live.events));
    });

    it('resumes after Last-Event-ID with exactly the later events', async () => {
      const resumed = await readSse(`${api}/executions/${executionId}/events`, {
        headers: { 'Last-Event-ID': '5' },
      });

      expect(resumed.closed).toBe(true);
      expect(documented(resumed.events)).toEqual(documented(eventsAfter(live.events, 5)));
      expect(resumed.events[0].id).toBe('6');
    });

    it('resumes after ?after=N the same way', async () => {
      const resumed = await readSse(`${api}/executions/${executionId}/events?after=5`);

      expect(documented(resumed.events)).toEqual(documented(eventsAfter(live.events, 5)));
    });

    it('resumes after the position of the signal, an id never sent, with the gate being released', async () => {
      const released = transitions.find((e) => {
        const d = JSON.parse(e.data);
        return d.nodeId === 'gate' && d.from === 'waiting';
      })!;
      const signalSeq = Number(released.id) - 1;

      const resumed = await readSse(`${api}/executions/${executionId}/events?after=${signalSeq}`);

      expect(resumed.events[0].id).toBe(released.id);
      expect(documented(resumed.events)).toEqual(documented(eventsAfter(live.events, signalSeq)));
    });

    it('sends only the end event after the last id', async () => {
      const last = transitions[transitions.length - 1].id!;

      const resumed = await readSse(`${api}/executions/${executionId}/events`, {
        headers: { 'Last-Event-ID': last },
      });

      expect(resumed.events.map((e) => e.event)).toEqual(['end']);
    });
  });

  it('lets a client that disconnects mid-run reconnect with Last-Event-ID and miss nothing', async () => {
    const executionId = await startGated();
    const first = await readSse(`${api}/executions/${executionId}/events`, {
      stopWhen: isGateWaiting,
    });
    expect(first.closed).toBe(false);
    const lastId = first.events[first.events.length - 1].id!;

    const second = readSse(`${api}/executions/${executionId}/events`, {
      headers: { 'Last-Event-ID': lastId },
    });
    expect((await signalGate(executionId)).status).toBe(202);
    const rest = await second;

    expect(rest.closed).toBe(true);
    const full = await readSse(`${api}/executions/${executionId}/events`);
    expect(documented([...first.events, ...rest.events])).toEqual(documented(full.events));
    expect(JSON.parse(full.events[full.events.length - 1].data).status).toBe('completed');
  });

  it('ends the stream of a cancelled execution with status cancelled', async () => {
    const executionId = await startGated();
    await until(async () => {
      const res = await request(`${api}/executions/${executionId}/nodes/gate`);
      return res.body.status === 'waiting' ? true : undefined;
    }, 'the gate to wait');
    const stream = readSse(`${api}/executions/${executionId}/events`);

    await request(`${api}/executions/${executionId}/cancel`, { body: {} });
    const result = await stream;

    await waitForStatus(api, executionId, ['cancelled']);
    expect(result.closed).toBe(true);
    const end = result.events[result.events.length - 1];
    expect(end.event).toBe('end');
    expect(JSON.parse(end.data)).toMatchObject({ id: executionId, status: 'cancelled' });
  });

  it('answers an unknown execution with a JSON 404 EXECUTION_NOT_FOUND', async () => {
    const res = await request(`${api}/executions/0123456789abcdef01234567/events`, {
      headers: { accept: 'text/event-stream' },
    });

    expectError(res, 404, 'EXECUTION_NOT_FOUND');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
