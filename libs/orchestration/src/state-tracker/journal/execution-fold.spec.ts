import { ExecutionFields, NodeStateFields } from '../execution-record.interface';
import { ExecutionStatus, NodeStatus } from '../status.enum';
import { ExecutionFold } from './execution-fold';
import { JournalEntry } from './journal-entry.interface';
import { JournalPage } from './journal-page.interface';

const ID = 'e'.repeat(24);
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** An entry before the journal numbers it. */
type Draft = {
  [K in JournalEntry['kind']]: Omit<Extract<JournalEntry, { kind: K }>, 'seq'>;
}[JournalEntry['kind']];
type Extra = { set?: NodeStateFields & ExecutionFields; reason?: string };

/** Numbers entries of consecutive pages the way the writer does: seq from 1, never reused. */
function journal(...pages: Draft[][]): JournalPage[] {
  let seq = 0;
  return pages.map((entries, page) => ({
    executionId: ID,
    page,
    writer: `writer-${page}`,
    at: at(page),
    ...(page === 0 && {
      creation: {
        graphId: 'g'.repeat(24),
        input: { suite: 's-1' },
        createdAt: at(0),
        idempotencyKey: 'key-1',
        owner: 'alpha',
      },
    }),
    entries: entries.map((e) => ({ ...e, seq: ++seq })),
  }));
}

const exec = (
  from: ExecutionStatus | 'none',
  to: ExecutionStatus,
  s: number,
  extra: Extra = {},
): Draft => ({
  kind: 'execution',
  at: at(s),
  by: 'alpha',
  from,
  to,
  ...extra,
});
const node = (
  nodeId: string,
  from: NodeStatus,
  to: NodeStatus,
  s: number,
  attempt: number,
  extra: Extra = {},
): Draft => ({ kind: 'node', nodeId, at: at(s), by: 'alpha', from, to, attempt, ...extra });

const N = NodeStatus;
const E = ExecutionStatus;
const created = exec('none', E.PENDING, 0);
const BOOM = { code: 'NODE_EXECUTION_FAILED', message: 'boom' };

/** A run of `a` that fails once and succeeds on retry, `b` after it, with a claim, a signal and a command. */
function story(): JournalPage[] {
  return journal(
    [created],
    [exec(E.PENDING, E.RUNNING, 1), node('a', N.PENDING, N.READY, 1, 0)],
    [node('a', N.READY, N.RUNNING, 2, 1, { set: { deadlineAt: at(60), fencingToken: 11 } })],
    [
      node('a', N.RUNNING, N.FAILED, 3, 1, {
        set: { error: BOOM, nextAttemptAt: at(4) },
        reason: 'attempt 1/3 failed',
      }),
    ],
    [{ kind: 'claim', at: at(4), by: 'beta', owner: 'beta', epoch: 2 }],
    [
      node('a', N.FAILED, N.RUNNING, 5, 2, {
        set: { deadlineAt: at(65), fencingToken: 22 },
        reason: 'retry, attempt 2',
      }),
    ],
    [
      node('a', N.RUNNING, N.COMPLETED, 6, 2, { set: { output: { ok: true } } }),
      node('b', N.PENDING, N.READY, 6, 0),
      { kind: 'signal', at: at(6), by: 'ana', nodeId: 'b', payload: { approved: true } },
      { kind: 'command', at: at(6), by: 'ana', commandId: 'c-1', command: 'signal' },
    ],
    [
      node('b', N.READY, N.RUNNING, 7, 1),
      node('b', N.RUNNING, N.COMPLETED, 8, 1, { set: { output: 2 } }),
    ],
    [exec(E.RUNNING, E.COMPLETED, 9)],
  );
}

const fold = (pages: JournalPage[], withHistory = false) =>
  ExecutionFold.of(ID, null, pages, withHistory);

describe('ExecutionFold', () => {
  it("gives the pending execution with the creation's fields from page 0", () => {
    const f = fold(journal([created]));
    expect(f.record).toEqual({
      id: ID,
      graphId: 'g'.repeat(24),
      status: E.PENDING,
      input: { suite: 's-1' },
      error: null,
      createdAt: at(0),
      startedAt: null,
      completedAt: null,
      owner: 'alpha',
      epoch: 1,
      idempotencyKey: 'key-1',
      history: [],
    });
    expect([f.lastPage, f.seq, f.lastWriter, f.ended]).toEqual([0, 1, 'writer-0', false]);
  });

  it('counts an attempt on a start, sets startedAt and clears completedAt and nextAttemptAt', () => {
    const a = fold(story().slice(0, 6)).nodes.get('a')!;
    expect(a).toMatchObject({
      status: N.RUNNING,
      attempts: 2,
      startedAt: at(5),
      completedAt: null,
      nextAttemptAt: null,
      deadlineAt: at(65),
      fencingToken: 22,
      error: BOOM,
    });
  });

  it('sets completedAt on an end and clears the deadline, keeping the error and retry time it sets', () => {
    const a = fold(story().slice(0, 4)).nodes.get('a')!;
    expect(a).toMatchObject({
      status: N.FAILED,
      attempts: 1,
      startedAt: at(2),
      completedAt: at(3),
      deadlineAt: null,
      nextAttemptAt: at(4),
      error: BOOM,
    });
  });

  it('clears the error on a completion and applies its output', () => {
    const a = fold(story()).nodes.get('a')!;
    expect(a).toMatchObject({
      status: N.COMPLETED,
      attempts: 2,
      completedAt: at(6),
      deadlineAt: null,
      error: null,
      output: { ok: true },
    });
  });

  it('applies execution transitions: a start sets startedAt, an end sets completedAt and clears the owner', () => {
    const running = fold(story().slice(0, 2)).record!;
    expect(running).toMatchObject({
      status: E.RUNNING,
      startedAt: at(1),
      completedAt: null,
      owner: 'alpha',
    });
    const failure = { code: 'NODES_FAILED', message: '1 node(s) failed: a' };
    const ended = fold(
      journal(
        [created],
        [exec(E.PENDING, E.RUNNING, 1)],
        [exec(E.RUNNING, E.FAILED, 2, { set: { error: failure } })],
      ),
    );
    expect(ended.record).toMatchObject({
      status: E.FAILED,
      startedAt: at(1),
      completedAt: at(2),
      owner: null,
      error: failure,
    });
    expect(ended.ended).toBe(true);
  });

  it('clears the error of a failed execution that starts again', () => {
    const f = fold(
      journal(
        [created],
        [exec(E.PENDING, E.RUNNING, 1)],
        [exec(E.RUNNING, E.FAILED, 2, { set: { error: BOOM } })],
        [
          { kind: 'claim', at: at(3), by: 'beta', owner: 'beta', epoch: 2 },
          exec(E.FAILED, E.RUNNING, 3),
        ],
      ),
    );
    expect(f.record).toMatchObject({
      status: E.RUNNING,
      startedAt: at(3),
      completedAt: null,
      error: null,
      owner: 'beta',
    });
  });

  it('sets the owner and epoch of a claim', () => {
    expect(fold(story().slice(0, 5)).record).toMatchObject({ owner: 'beta', epoch: 2 });
  });

  it('keeps a signal with its node, even one the journal has not mentioned yet', () => {
    const pages = journal(
      [created],
      [{ kind: 'signal', at: at(1), by: 'ana', nodeId: 'gate', payload: { ok: 1 } }],
    );
    expect(fold(pages).nodes.get('gate')).toMatchObject({
      status: N.PENDING,
      attempts: 0,
      signal: { payload: { ok: 1 }, at: at(1), by: 'ana' },
    });
    expect(fold(story()).nodes.get('b')!.signal).toEqual({
      payload: { approved: true },
      at: at(6),
      by: 'ana',
    });
  });

  it('remembers the commands applied', () => {
    expect([...fold(story()).commands]).toEqual(['c-1']);
  });

  it('keeps no history unless asked', () => {
    const f = fold(story());
    expect(f.record!.history).toEqual([]);
    expect([...f.nodes.values()].every((n) => n.history.length === 0)).toBe(true);
  });

  it('keeps history with seq, attempt, reason and the fencing token of each attempt when asked', () => {
    const f = fold(story(), true);
    expect(f.nodes.get('a')!.history).toEqual([
      { from: N.PENDING, to: N.READY, at: at(1), by: 'alpha', seq: 3, attempt: 0 },
      {
        from: N.READY,
        to: N.RUNNING,
        at: at(2),
        by: 'alpha',
        seq: 4,
        attempt: 1,
        fencingToken: 11,
      },
      {
        from: N.RUNNING,
        to: N.FAILED,
        at: at(3),
        by: 'alpha',
        seq: 5,
        attempt: 1,
        reason: 'attempt 1/3 failed',
      },
      {
        from: N.FAILED,
        to: N.RUNNING,
        at: at(5),
        by: 'alpha',
        seq: 7,
        attempt: 2,
        reason: 'retry, attempt 2',
        fencingToken: 22,
      },
      { from: N.RUNNING, to: N.COMPLETED, at: at(6), by: 'alpha', seq: 8, attempt: 2 },
    ]);
    expect(f.record!.history).toEqual([
      { from: 'none', to: E.PENDING, at: at(0), by: 'alpha', seq: 1 },
      { from: E.PENDING, to: E.RUNNING, at: at(1), by: 'alpha', seq: 2 },
      { from: E.RUNNING, to: E.COMPLETED, at: at(9), by: 'alpha', seq: 14 },
    ]);
  });

  it('throws on a gap in the page numbers', () => {
    const pages = story();
    const f = fold(pages.slice(0, 2));
    expect(() => f.applyPage(pages[3])).toThrow(`journal of ${ID}: page 3 follows page 1`);
    expect(() => fold(pages.slice(1))).toThrow(`journal of ${ID}: page 1 follows page -1`);
  });

  it.each([1, 3, 5, 6])(
    'gives the same state from a checkpoint after page %i and the later pages as from the whole journal',
    (after) => {
      const pages = story();
      const checkpoint = fold(pages.slice(0, after + 1)).checkpoint();
      const resumed = ExecutionFold.of(ID, checkpoint, pages, false);
      const whole = fold(pages, true);
      const bare = <T extends { history: unknown }>({ history: _h, ...rest }: T) => rest;
      expect(bare(resumed.record!)).toEqual(bare(whole.record!));
      expect([...resumed.nodes.keys()]).toEqual([...whole.nodes.keys()]);
      for (const [id, n] of whole.nodes) expect(bare(resumed.nodes.get(id)!)).toEqual(bare(n));
      expect([...resumed.commands]).toEqual([...whole.commands]);
      expect([resumed.lastPage, resumed.seq]).toEqual([whole.lastPage, whole.seq]);
    },
  );

  it('keeps a checkpoint unchanged by the fold it came from and by a fold resumed from it', () => {
    const pages = story();
    const f = fold(pages.slice(0, 4));
    const checkpoint = f.checkpoint();
    const before = structuredClone(checkpoint);
    for (const page of pages.slice(4)) f.applyPage(page);
    ExecutionFold.of(ID, checkpoint, pages, true);
    expect(checkpoint).toEqual(before);
  });

  it('fills the nodes the journal never mentions as pending, in graph order', () => {
    const states = fold(story().slice(0, 3)).nodeStates(['z', 'a', 'b']);
    expect(states.map((s) => [s.nodeId, s.status, s.attempts, s.executionId])).toEqual([
      ['z', N.PENDING, 0, ID],
      ['a', N.RUNNING, 1, ID],
      ['b', N.PENDING, 0, ID],
    ]);
  });
});
