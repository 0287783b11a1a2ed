import { NodeExecutionError } from '../errors';
import { NodeContext, NodeHandlerResult } from '../node-runner/node-context.interface';
import { NodeHandler } from '../node-runner/node-handler.decorator';
import { NodeTypeHandler } from '../node-runner/node-type-handler.interface';
import { ExecutionStatus } from '../state-tracker/status.enum';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { storedNode, storedNodes } from './testing/journal.fixture';
import { probe } from './testing/probe.handler';

/** Outputs a JSON store cannot keep as they are. */
const OUTPUTS: Record<string, () => unknown> = {
  big: () => ({ blob: 'x'.repeat(2000) }),
  bigint: () => ({ n: 10n }),
  circular: () => {
    const o: Record<string, unknown> = { name: 'loop' };
    o.self = o;
    return o;
  },
  holes: () => ({ kept: 1, gone: undefined, list: [undefined, 2], deep: { gone: undefined } }),
};

/** EMIT: records each attempt's fencing token, fails its first `failTimes` attempts, outputs `OUTPUTS[emit]`. */
@NodeHandler('EMIT')
class EmitHandler implements NodeTypeHandler {
  readonly tokens: { nodeId: string; attempt: number; token: number }[] = [];

  execute(ctx: NodeContext<{ emit?: string; failTimes?: number }>): NodeHandlerResult {
    this.tokens.push({ nodeId: ctx.node.id, attempt: ctx.attempt, token: ctx.fencingToken });
    if (ctx.attempt <= (ctx.config.failTimes ?? 0)) throw new NodeExecutionError('planned failure');
    return { output: ctx.config.emit ? OUTPUTS[ctx.config.emit]() : { node: ctx.node.id } };
  }
}

const emit = (id: string, config: Record<string, unknown> = {}, dependsOn: string[] = []) => ({
  id,
  type: 'EMIT',
  config,
  dependsOn,
});

describe('ExecutionRun outputs', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await createTestEngine({ maxOutputBytes: 1024 }, { providers: [EmitHandler] });
  });
  afterEach(() => t.close());

  it('fails a node whose output exceeds maxOutputBytes with OUTPUT_TOO_LARGE, unretried, and skips its dependents', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'big',
      nodes: [
        { ...emit('big', { emit: 'big' }), retry: { maxAttempts: 3 } },
        probe('after', ['big']),
        probe('independent'),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    const nodes = await storedNodes(t.store, executionId);
    expect(nodes.big).toMatchObject({
      status: 'failed',
      attempts: 1,
      output: null,
      nextAttemptAt: null,
      error: { code: 'OUTPUT_TOO_LARGE' },
    });
    expect(nodes.after.status).toBe('skipped');
    expect(nodes.independent.status).toBe('completed');
    expect(t.module.get(EmitHandler).tokens).toHaveLength(1);
  });

  it.each(['bigint', 'circular'])(
    'fails a node whose output is not JSON (%s) with OUTPUT_NOT_SERIALIZABLE',
    async (kind) => {
      const { executionId, done } = await t.engine.run({
        name: kind,
        nodes: [{ ...emit('odd', { emit: kind }), retry: { maxAttempts: 3 } }],
      });
      expect((await done).status).toBe(ExecutionStatus.FAILED);
      expect(await storedNode(t.store, executionId, 'odd')).toMatchObject({
        status: 'failed',
        attempts: 1,
        output: null,
        error: { code: 'OUTPUT_NOT_SERIALIZABLE' },
      });
    },
  );

  it('stores an output with undefined fields as plain JSON and hands dependents the same', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'holes',
      nodes: [emit('holes', { emit: 'holes' }), probe('reader', ['holes'])],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    const plain = { kept: 1, list: [null, 2], deep: {} };
    expect((await storedNode(t.store, executionId, 'holes'))!.output).toStrictEqual(plain);
    expect(t.probe.starts[0].upstream.holes).toStrictEqual(plain);
  });
});

describe('ExecutionRun fencing tokens (fake timers)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    t = await createTestEngine({}, { providers: [EmitHandler] });
  });
  afterEach(async () => {
    await t.close();
    jest.useRealTimers();
  });

  it('gives every attempt a token that grows with each attempt and each node started later', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'tokens',
      nodes: [
        {
          ...emit('a', { failTimes: 1 }),
          retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 },
        },
        emit('b', {}, ['a']),
        emit('c', {}, ['b']),
      ],
    });
    await jest.advanceTimersByTimeAsync(10);
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    const seen = t.module.get(EmitHandler).tokens;
    expect(seen.map((s) => `${s.nodeId}#${s.attempt}`)).toEqual(['a#1', 'a#2', 'b#1', 'c#1']);
    const tokens = seen.map((s) => s.token);
    expect(tokens[0]).toBeGreaterThan(0);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1]);
    const nodes = await storedNodes(t.store, executionId);
    expect([nodes.a.fencingToken, nodes.b.fencingToken, nodes.c.fencingToken]).toEqual(
      tokens.slice(1),
    );
  });
});
