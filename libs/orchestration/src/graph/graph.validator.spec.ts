import { IsInt, Min } from 'class-validator';
import { CycleDetectedError, GraphValidationError } from '../errors';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { ExecutionStrategyRegistry } from '../node-runner/strategies/execution-strategy.registry';
import { resolveOrchestrationOptions } from '../orchestration-options.defaults';
import { MAX_GRAPH_PROBLEMS } from './graph.constants';
import { GraphValidator } from './graph.validator';

class WaitConfig {
  @IsInt()
  @Min(0)
  ms!: number;
}

function validator(limits: { maxNodes?: number; maxEdges?: number } = {}): GraphValidator {
  const registry = new NodeHandlerRegistry();
  registry.register('WAIT', { execute: () => undefined }, { config: WaitConfig });
  registry.register('NOOP', { execute: () => undefined });
  return new GraphValidator(
    registry,
    resolveOrchestrationOptions(limits),
    new ExecutionStrategyRegistry(),
  );
}

function problemsOf(raw: unknown, v = validator()) {
  try {
    v.compile(raw);
  } catch (error) {
    if (error instanceof GraphValidationError) return error;
    throw error;
  }
  throw new Error('expected the graph to be rejected');
}

const chain = (n: number) => ({
  name: 'chain',
  nodes: Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    type: 'NOOP',
    dependsOn: i ? [`n${i - 1}`] : [],
  })),
});

describe('GraphValidator', () => {
  it('compiles a valid graph into index form', () => {
    const graph = validator().compile({
      name: 'ok',
      nodes: [
        { id: 'a', type: 'NOOP' },
        { id: 'b', type: 'WAIT', dependsOn: ['a', 'a'], config: { ms: 0 } },
      ],
    });
    expect(graph.size).toBe(2);
    expect(graph.edgeCount).toBe(1);
    expect([...graph.dependentsOf(0)]).toEqual([1]);
    expect([...graph.depsOf(1)]).toEqual([0]);
  });

  it('lists every problem of a graph in one error', () => {
    const error = problemsOf({
      name: 'bad',
      nodes: [
        { id: 'a', type: 'NOOP' },
        { id: 'a', type: 'NOOP' },
        { id: 'b', type: 'NOOP', dependsOn: ['ghost', 'b'] },
        { id: 'c', type: 'MYSTERY' },
        { id: 'd', type: 'WAIT', config: { ms: -1, extra: true } },
        { id: 'e f', type: 'NOOP' },
        { id: 'q', type: 'NOOP', strategy: 'QUEUED' },
      ],
    });
    const codes = error.problems.map((p) => p.code).sort();
    expect(codes).toEqual([
      'DUPLICATE_NODE_ID',
      'NODE_CONFIG_INVALID',
      'NODE_CONFIG_INVALID',
      'NODE_ID_INVALID',
      'SELF_DEPENDENCY',
      'STRATEGY_UNSUPPORTED',
      'UNKNOWN_DEPENDENCY',
      'UNKNOWN_NODE_TYPE',
    ]);
    expect(error.problems.find((p) => p.code === 'UNKNOWN_DEPENDENCY')).toMatchObject({
      nodeId: 'b',
      message: 'node b depends on unknown node ghost',
    });
    expect(error.problems.find((p) => p.code === 'STRATEGY_UNSUPPORTED')!.message).toContain(
      'QUEUED runs the node on BullMQ workers and needs a Redis',
    );
  });

  it('reports a cycle with its path', () => {
    const error = problemsOf({
      name: 'cyclic',
      nodes: [
        { id: 'root', type: 'NOOP' },
        { id: 'a', type: 'NOOP', dependsOn: ['root', 'c'] },
        { id: 'b', type: 'NOOP', dependsOn: ['a'] },
        { id: 'c', type: 'NOOP', dependsOn: ['b'] },
      ],
    });
    expect(error).toBeInstanceOf(CycleDetectedError);
    expect((error as CycleDetectedError).cycle).toEqual(['a', 'b', 'c', 'a']);
    expect(error.problems[0].message).toBe('dependency cycle: a -> b -> c -> a');
  });

  it('lists a cycle together with the other problems of the graph', () => {
    const error = problemsOf({
      name: 'both',
      nodes: [
        { id: 'a', type: 'NOOP', dependsOn: ['ghost', 'ghost'] },
        { id: 'b', type: 'NOOP', dependsOn: ['c'] },
        { id: 'c', type: 'NOOP', dependsOn: ['b'] },
      ],
    });
    expect(error).not.toBeInstanceOf(CycleDetectedError);
    expect(error.problems.map((p) => p.code)).toEqual(['UNKNOWN_DEPENDENCY', 'CYCLE']);
    expect(error.problems[0].path).toBe('nodes[0].dependsOn[0]');
    expect(error.problems[1]).toMatchObject({ cycle: ['b', 'c', 'b'], path: 'nodes[1].dependsOn' });
  });

  it('reports every disjoint cycle', () => {
    const error = problemsOf({
      name: 'two cycles',
      nodes: [
        { id: 'a', type: 'NOOP', dependsOn: ['b'] },
        { id: 'b', type: 'NOOP', dependsOn: ['a'] },
        { id: 'x', type: 'NOOP', dependsOn: ['y'] },
        { id: 'y', type: 'NOOP', dependsOn: ['x'] },
      ],
    });
    expect(error.problems.map((p) => p.cycle?.length)).toEqual([3, 3]);
  });

  it('validates a 10,000-deep chain without recursion', () => {
    expect(validator().compile(chain(10_000)).size).toBe(10_000);
  });

  it('finds a cycle closing a 10,000-node chain', () => {
    const graph = chain(10_000);
    graph.nodes[0].dependsOn = ['n9999'];
    const error = problemsOf(graph) as CycleDetectedError;
    expect(error.cycle).toHaveLength(10_001);
  });

  it('enforces the node and edge limits', () => {
    expect(problemsOf(chain(11), validator({ maxNodes: 10 })).problems[0]).toMatchObject({
      code: 'GRAPH_TOO_LARGE',
    });
    expect(problemsOf(chain(11), validator({ maxEdges: 5 })).problems[0]).toMatchObject({
      code: 'GRAPH_TOO_LARGE',
    });
  });

  it('rejects malformed graphs field by field', () => {
    expect(problemsOf(null).problems[0].code).toBe('GRAPH_INVALID');
    const error = problemsOf({ name: '', nodes: [], maxParallelism: 0, extra: 1 });
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      'extra',
      'maxParallelism',
      'name',
      'nodes',
    ]);
    const fields = problemsOf({
      name: 'n',
      nodes: [
        {
          id: 'a',
          type: 'NOOP',
          timeoutMs: -5,
          retry: { maxAttempts: 0, backoff: 'linear' },
          critical: 'yes',
          runWhen: 'sometimes',
          bogus: 1,
        },
      ],
    });
    expect(fields.problems.map((p) => p.path).sort()).toEqual([
      'nodes[0].bogus',
      'nodes[0].critical',
      'nodes[0].retry.backoff',
      'nodes[0].retry.maxAttempts',
      'nodes[0].runWhen',
      'nodes[0].timeoutMs',
    ]);
  });

  it('checks each step config of SEQUENTIAL and PARALLEL nodes and the when of CONDITIONAL ones', () => {
    const error = problemsOf({
      name: 's',
      nodes: [
        {
          id: 'p',
          type: 'WAIT',
          strategy: 'PARALLEL',
          config: { steps: [{ ms: 1 }, { ms: 'x' }] },
        },
        { id: 'q', type: 'WAIT', strategy: 'SEQUENTIAL', config: {} },
        { id: 'c', type: 'NOOP', strategy: 'CONDITIONAL', when: 'input.(' },
      ],
    });
    expect([...new Set(error.problems.map((p) => p.path))]).toEqual([
      'nodes[0].config.steps[1].ms',
      'nodes[1].config.steps',
      'nodes[2].when',
    ]);
  });

  describe('strategy checks', () => {
    it('requires the when of a CONDITIONAL node and reports its syntax error with the position', () => {
      const error = problemsOf({
        name: 'c',
        nodes: [
          { id: 'missing', type: 'NOOP', strategy: 'CONDITIONAL' },
          { id: 'broken', type: 'NOOP', strategy: 'CONDITIONAL', when: 'input.env = ' },
        ],
      });
      expect(error.problems).toEqual([
        {
          code: 'NODE_FIELD_INVALID',
          path: 'nodes[0].when',
          nodeId: 'missing',
          message:
            'node missing: when is required with the CONDITIONAL strategy (a JSONata condition)',
        },
        {
          code: 'NODE_FIELD_INVALID',
          path: 'nodes[1].when',
          nodeId: 'broken',
          message: expect.stringMatching(
            /^node broken: when is not a valid JSONata expression: .* at position \d+\)$/,
          ),
        },
      ]);
    });

    it('refuses a when without the CONDITIONAL strategy', () => {
      const error = problemsOf({ name: 'w', nodes: [{ id: 'a', type: 'NOOP', when: 'true' }] });
      expect(error.problems.map((p) => [p.code, p.path])).toEqual([
        ['NODE_FIELD_INVALID', 'nodes[0].when'],
      ]);
    });

    it('refuses queue settings without the QUEUED strategy', () => {
      const error = problemsOf({
        name: 'q',
        nodes: [{ id: 'a', type: 'NOOP', queue: { pool: 'gpu' } }],
      });
      expect(error.problems.map((p) => [p.code, p.path, p.message])).toEqual([
        [
          'NODE_FIELD_INVALID',
          'nodes[0].queue',
          'nodes[0].queue is only used with the QUEUED strategy',
        ],
      ]);
    });

    it('requires SEQUENTIAL and PARALLEL steps to be objects, and PARALLEL concurrency a positive integer', () => {
      const error = problemsOf({
        name: 's',
        nodes: [
          {
            id: 's',
            type: 'WAIT',
            strategy: 'SEQUENTIAL',
            config: { steps: [{ ms: 1 }, 7, null] },
          },
          {
            id: 'p',
            type: 'WAIT',
            strategy: 'PARALLEL',
            config: { steps: [{ ms: 1 }], concurrency: 0 },
          },
          { id: 'q', type: 'WAIT', strategy: 'PARALLEL', config: { steps: [], concurrency: 2.5 } },
        ],
      });
      expect(error.problems.map((p) => p.path)).toEqual([
        'nodes[0].config.steps[1]',
        'nodes[0].config.steps[2]',
        'nodes[1].config.concurrency',
        'nodes[2].config.steps',
        'nodes[2].config.concurrency',
      ]);
      expect(error.problems[2].message).toBe(
        'node p: config.concurrency: must be an integer from 1 to 1000',
      );
    });

    it('refuses config fields a SEQUENTIAL or PARALLEL node does not read', () => {
      const error = problemsOf({
        name: 'f',
        nodes: [
          {
            id: 's',
            type: 'WAIT',
            strategy: 'SEQUENTIAL',
            config: { steps: [{ ms: 1 }], concurrency: 2 },
          },
          { id: 'p', type: 'WAIT', strategy: 'PARALLEL', config: { steps: [{ ms: 1 }], ms: 3 } },
        ],
      });
      expect(error.problems.map((p) => [p.path, p.message])).toEqual([
        [
          'nodes[0].config.concurrency',
          'node s: config.concurrency is not a field of a SEQUENTIAL config (steps)',
        ],
        [
          'nodes[1].config.ms',
          'node p: config.ms is not a field of a PARALLEL config (steps, concurrency)',
        ],
      ]);
    });

    it('accepts a valid node of every strategy this version runs', () => {
      const graph = validator().compile({
        name: 'all',
        nodes: [
          { id: 'd', type: 'WAIT', config: { ms: 0 } },
          { id: 's', type: 'WAIT', strategy: 'SEQUENTIAL', config: { steps: [{ ms: 0 }] } },
          {
            id: 'p',
            type: 'WAIT',
            strategy: 'PARALLEL',
            config: { steps: [{ ms: 0 }, { ms: 1 }], concurrency: 1 },
          },
          { id: 'c', type: 'WAIT', strategy: 'CONDITIONAL', when: 'input.go', config: { ms: 0 } },
        ],
      });
      expect(graph.size).toBe(4);
    });

    it('checks the when of a CONDITIONAL node of an unknown type too', () => {
      const error = problemsOf({
        name: 'u',
        nodes: [{ id: 'a', type: 'MYSTERY', strategy: 'CONDITIONAL' }],
      });
      expect(error.problems.map((p) => p.code)).toEqual([
        'UNKNOWN_NODE_TYPE',
        'NODE_FIELD_INVALID',
      ]);
    });

    it('rejects QUEUED with STRATEGY_UNSUPPORTED and a strategy it does not know by name', () => {
      const error = problemsOf({
        name: 'q',
        nodes: [
          { id: 'q', type: 'NOOP', strategy: 'QUEUED' },
          { id: 'x', type: 'NOOP', strategy: 'toString' },
        ],
      });
      expect(error.problems).toEqual([
        expect.objectContaining({
          code: 'STRATEGY_UNSUPPORTED',
          path: 'nodes[0].strategy',
          message: expect.stringMatching(
            /^nodes\[0\]\.strategy QUEUED runs the node on BullMQ workers and needs a Redis, which this engine has none of: set REDIS_URL/,
          ),
        }),
        expect.objectContaining({
          code: 'NODE_FIELD_INVALID',
          path: 'nodes[1].strategy',
          message:
            'nodes[1].strategy must be one of DIRECT, SEQUENTIAL, PARALLEL, CONDITIONAL, QUEUED',
        }),
      ]);
    });
  });

  describe('graph defaults', () => {
    it('gives the default strategy to the nodes that name none, and keeps the others', () => {
      const graph = validator().compile({
        name: 'd',
        defaults: { strategy: 'PARALLEL' },
        nodes: [
          { id: 'a', type: 'NOOP', config: { steps: [{}] } },
          { id: 'b', type: 'NOOP', strategy: 'DIRECT', dependsOn: ['a'] },
        ],
      });
      expect(graph.nodes.map((n) => [n.id, n.strategy])).toEqual([
        ['a', 'PARALLEL'],
        ['b', 'DIRECT'],
      ]);
    });

    it('reports bad defaults once, at the graph, not on every node', () => {
      const error = problemsOf({
        name: 'd',
        defaults: { strategy: 'QUEUED', queue: { pool: 'gpu' }, retry: {} },
        nodes: [
          { id: 'a', type: 'NOOP' },
          { id: 'b', type: 'NOOP' },
        ],
      });
      expect(error.problems.map((p) => [p.code, p.path])).toEqual([
        ['GRAPH_FIELD_INVALID', 'defaults.retry'],
        ['STRATEGY_UNSUPPORTED', 'defaults.strategy'],
      ]);
    });

    it('refuses CONDITIONAL as a default, and queue settings without QUEUED', () => {
      const error = problemsOf({
        name: 'd',
        defaults: { strategy: 'CONDITIONAL', queue: {} },
        nodes: [{ id: 'a', type: 'NOOP' }],
      });
      expect(error.problems.map((p) => p.message)).toEqual([
        'defaults.strategy cannot be CONDITIONAL: a condition belongs to one node',
        'defaults.queue is only used with the QUEUED strategy',
      ]);
    });
  });

  describe('problem cap', () => {
    const ghosts = (n: number, prefix = 'ghost') =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}`);

    it(`lists the first ${MAX_GRAPH_PROBLEMS} problems of a node with 200,000 unknown dependencies and counts them all`, () => {
      const error = problemsOf({
        name: 'wide',
        nodes: [{ id: 'a', type: 'NOOP', dependsOn: ghosts(200_000) }],
      });
      expect(MAX_GRAPH_PROBLEMS).toBe(100);
      expect(error.problems).toHaveLength(100);
      expect(error.total).toBe(200_000);
      expect(error.unlisted).toBe(199_900);
      expect(error.problems[0]).toMatchObject({ path: 'nodes[0].dependsOn[0]', nodeId: 'a' });
      expect(error.problems[99]).toMatchObject({
        path: 'nodes[0].dependsOn[99]',
        message: 'node a depends on unknown node ghost99',
      });
      expect(error.message).toMatch(
        /^Graph definition is invalid \(200000 problems, the first 100 listed\): /,
      );
    });

    it('counts 100,000 nodes each with one unknown dependency', () => {
      const error = problemsOf(
        {
          name: 'many',
          nodes: ghosts(100_000, 'n').map((id, i) => ({
            id,
            type: 'NOOP',
            dependsOn: [`ghost${i}`],
          })),
        },
        validator({ maxNodes: 100_000 }),
      );
      expect(error.problems).toHaveLength(100);
      expect(error.total).toBe(100_000);
      expect(error.problems[99]).toMatchObject({ nodeId: 'n99', path: 'nodes[99].dependsOn[0]' });
    });

    it('reports a repeated unknown dependency once, at its first position', () => {
      const error = problemsOf({
        name: 'dup',
        nodes: [{ id: 'a', type: 'NOOP', dependsOn: ['x', 'y', 'x', 'a', 'a', 'y'] }],
      });
      expect(error.problems.map((p) => [p.code, p.path])).toEqual([
        ['UNKNOWN_DEPENDENCY', 'nodes[0].dependsOn[0]'],
        ['UNKNOWN_DEPENDENCY', 'nodes[0].dependsOn[1]'],
        ['SELF_DEPENDENCY', 'nodes[0].dependsOn'],
      ]);
      expect(error.total).toBe(3);
    });

    it('counts cycles beyond the cap, and keeps CycleDetectedError when cycles are all there is', () => {
      const nodes = [];
      for (let i = 0; i < 150; i++) {
        nodes.push({ id: `a${i}`, type: 'NOOP', dependsOn: [`b${i}`] });
        nodes.push({ id: `b${i}`, type: 'NOOP', dependsOn: [`a${i}`] });
      }
      const error = problemsOf({ name: 'rings', nodes }) as CycleDetectedError;
      expect(error).toBeInstanceOf(CycleDetectedError);
      expect(error.problems).toHaveLength(100);
      expect(error.total).toBe(150);
      expect(error.cycle).toEqual(['a0', 'b0', 'a0']);
    });

    it('counts the problems of every kind together, in the order found', () => {
      const error = problemsOf({
        name: 'mixed',
        nodes: [
          ...ghosts(120, 'x').map((id) => ({ id, type: 'MYSTERY' })),
          { id: 'c1', type: 'NOOP', dependsOn: ['c2'] },
          { id: 'c2', type: 'NOOP', dependsOn: ['c1'] },
        ],
      });
      expect(error).not.toBeInstanceOf(CycleDetectedError);
      expect(error.total).toBe(121);
      expect(error.problems.every((p) => p.code === 'UNKNOWN_NODE_TYPE')).toBe(true);
    });
  });
});
