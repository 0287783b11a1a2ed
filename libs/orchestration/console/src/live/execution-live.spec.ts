import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ExecutionResponse, TransitionEvent } from '../api/types';
import { ExecutionLive } from './execution-live';

/** Animation frames requested and not yet run: the test runs them, as the browser would. */
let frames: Map<number, FrameRequestCallback>;
let nextFrame: number;

function runFrame(): void {
  const due = [...frames.values()];
  frames.clear();
  for (const callback of due) callback(0);
}

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function execution(overrides: Partial<ExecutionResponse> = {}): ExecutionResponse {
  return {
    id: 'e1',
    graphId: 'g1',
    status: 'running',
    input: {},
    idempotencyKey: null,
    createdAt: at(0),
    startedAt: at(0),
    completedAt: null,
    nodes: [],
    ...overrides,
  };
}

let seq = 0;
function node(nodeId: string, from: string, to: string, ms: number, attempt?: number) {
  seq++;
  return {
    seq,
    kind: 'node',
    executionId: 'e1',
    nodeId,
    from,
    to,
    at: at(ms),
    by: 'engine',
    ...(attempt ? { attempt } : {}),
  } satisfies TransitionEvent;
}
function run(from: string, to: string, ms: number): TransitionEvent {
  seq++;
  return { seq, kind: 'execution', executionId: 'e1', from, to, at: at(ms), by: 'engine' };
}

describe('ExecutionLive', () => {
  beforeEach(() => {
    frames = new Map();
    nextFrame = 0;
    seq = 0;
    globalThis.requestAnimationFrame = (callback) => {
      frames.set(++nextFrame, callback);
      return nextFrame;
    };
    globalThis.cancelAnimationFrame = (id) => void frames.delete(id);
  });
  afterEach(() => {
    delete (globalThis as Partial<typeof globalThis>).requestAnimationFrame;
    delete (globalThis as Partial<typeof globalThis>).cancelAnimationFrame;
  });

  it('starts every node pending unless the execution says otherwise, and counts them', () => {
    const live = new ExecutionLive(
      execution({
        nodes: [
          { nodeId: 'a', status: 'completed', attempts: 1, startedAt: at(0), completedAt: at(5) },
        ],
      }),
      ['a', 'b', 'c'],
    );

    expect(Object.fromEntries(live.status)).toEqual({ a: 'completed', b: 'pending', c: 'pending' });
    expect(live.counts).toEqual({ pending: 2, completed: 1 });
    expect(live.startedAt).toBe(T0);
    expect(live.completedAt).toBeNull();
  });

  it('applies queued events once per animation frame: one version and one notification a batch', () => {
    const live = new ExecutionLive(execution(), ['a', 'b']);
    let notified = 0;
    live.subscribe(() => notified++);

    live.push(node('a', 'pending', 'ready', 1));
    live.push(node('a', 'ready', 'running', 2, 1));
    live.push(node('b', 'pending', 'ready', 3));
    const before = { status: live.status.get('a'), version: live.version, notified };
    runFrame();

    expect(before).toEqual({ status: 'pending', version: 0, notified: 0 });
    expect(frames.size).toBe(0);
    expect(live.version).toBe(1);
    expect(notified).toBe(1);
    expect(Object.fromEntries(live.status)).toEqual({ a: 'running', b: 'ready' });
    expect(live.counts).toMatchObject({ pending: 0, ready: 1, running: 1 });
    expect([...live.changed].sort()).toEqual(['a', 'b']);
    expect(live.lastSeq).toBe(3);
    expect(live.transitions).toBe(3);
  });

  it('skips events at or before the last applied one (a resumed stream replays a few)', () => {
    const live = new ExecutionLive(execution(), ['a']);
    const ready = node('a', 'pending', 'ready', 1);
    const running = node('a', 'ready', 'running', 2, 1);
    live.push(ready);
    live.push(running);
    runFrame();

    live.push(ready);
    live.push(running);
    live.push(node('a', 'running', 'completed', 9));
    runFrame();

    expect(live.transitions).toBe(3);
    expect(live.attempts.get('a')).toHaveLength(1);
    expect(live.status.get('a')).toBe('completed');
  });

  it('records each attempt from running to where it went, a retry as the next attempt', () => {
    const live = new ExecutionLive(execution(), ['call']);

    live.push(node('call', 'ready', 'running', 10, 1));
    live.push(node('call', 'running', 'ready', 30));
    live.push(node('call', 'ready', 'running', 50, 2));
    runFrame();
    const open = live.attempts.get('call')!.map((a) => ({ ...a }));
    live.push(node('call', 'running', 'failed', 80));
    runFrame();

    expect(open[1]).toEqual({ attempt: 2, start: T0 + 50, end: null, outcome: null });
    expect(live.attempts.get('call')).toEqual([
      { attempt: 1, start: T0 + 10, end: T0 + 30, outcome: 'ready' },
      { attempt: 2, start: T0 + 50, end: T0 + 80, outcome: 'failed' },
    ]);
  });

  it('ends the clock when the execution ends, and restarts it (keeping the start) when reopened', () => {
    const live = new ExecutionLive(execution({ startedAt: null }), ['a']);

    live.push(run('pending', 'running', 5));
    live.push(run('running', 'failed', 40));
    runFrame();
    const ended = { status: live.executionStatus, start: live.startedAt, end: live.completedAt };
    live.push(run('failed', 'running', 70));
    runFrame();

    expect(ended).toEqual({ status: 'failed', start: T0 + 5, end: T0 + 40 });
    expect(live.executionStatus).toBe('running');
    expect(live.startedAt).toBe(T0 + 5);
    expect(live.completedAt).toBeNull();
  });

  it("takes the status of the stream's end event at once, and stops its frame when destroyed", () => {
    const live = new ExecutionLive(execution(), ['a']);
    let notified = 0;
    live.subscribe(() => notified++);

    live.setExecution('completed', at(99));
    live.push(node('a', 'pending', 'ready', 1));
    live.destroy();
    runFrame();

    expect(live.executionStatus).toBe('completed');
    expect(live.completedAt).toBe(T0 + 99);
    expect(notified).toBe(1);
    expect(live.status.get('a')).toBe('pending');
  });
});
