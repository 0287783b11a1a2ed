import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createTestEngine, TestEngine } from '../engine/testing/create-test-engine';
import { probe } from '../engine/testing/probe.handler';
import { NotFoundError } from '../errors';
import { ExecutionEventStream, ExecutionStreamItem } from './execution-event.stream';
import { storedTransitionSeqs } from '../engine/testing/journal.fixture';

describe('ExecutionEventStream', () => {
  let t: TestEngine;
  let events: ExecutionEventStream;
  beforeEach(async () => {
    t = await createTestEngine();
    events = t.module.get(ExecutionEventStream);
  });
  afterEach(() => t.close());

  const seqs = (items: ExecutionStreamItem[]) =>
    items.flatMap((i) => (i.type === 'transition' ? [i.event.seq] : []));
  /** The sequence numbers of the transitions the journal holds for an execution and its nodes. */
  function storedTransitions(executionId: string): Promise<number[]> {
    return storedTransitionSeqs(t.store, executionId);
  }
  /** A replay from the start gives every stored transition once, in order, then `completed`. */
  async function expectFullReplay(executionId: string): Promise<void> {
    const items = await lastValueFrom(events.stream(executionId).pipe(toArray()));
    expect(seqs(items)).toEqual(await storedTransitions(executionId));
    expect(items.at(-1)).toEqual({
      type: 'end',
      execution: { id: executionId, status: 'completed' },
    });
  }
  const graph = {
    name: 'events',
    nodes: [probe('a', [], { config: { ms: 5 } }), probe('b', ['a']), probe('c', ['a'])],
  };

  it('replays every stored transition of an ended execution in order, then its final state', async () => {
    const { executionId, done } = await t.engine.run(graph);
    await done;
    await expectFullReplay(executionId);
  });

  it('streams a running execution live with the same events a later replay gives', async () => {
    const { executionId } = await t.engine.run({
      ...graph,
      nodes: [...graph.nodes, probe('gate', ['b'], { config: { ms: 30 } })],
    });
    const live = await lastValueFrom(events.stream(executionId).pipe(toArray()));
    const replayed = await lastValueFrom(events.stream(executionId).pipe(toArray()));
    expect(live).toHaveLength(replayed.length);
    expect(seqs(live)).toEqual(seqs(replayed));
    const last = live.at(-2);
    expect(last?.type === 'transition' && last.event).toMatchObject({
      kind: 'execution',
      to: 'completed',
    });
  });

  it('resumes after a sequence number without repeating or missing one', async () => {
    const { executionId, done } = await t.engine.run(graph);
    await done;
    const all = seqs(await lastValueFrom(events.stream(executionId).pipe(toArray())));
    const rest = seqs(
      await lastValueFrom(events.stream(executionId, { after: 4 }).pipe(toArray())),
    );
    expect(rest).toEqual(all.filter((s) => s > 4));
  });

  it('replays a retried execution past its first end, up to its final state', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'retried',
      nodes: [probe('flaky', [], { config: { failTimes: 1, retryable: false } })],
    });
    expect((await done).status).toBe('failed');
    await t.engine.retry(executionId);
    await t.engine.waitFor(executionId);

    await expectFullReplay(executionId);
  });

  it('fails with NotFoundError for an unknown execution', async () => {
    await expect(firstValueFrom(events.stream('0123456789abcdef01234567'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
