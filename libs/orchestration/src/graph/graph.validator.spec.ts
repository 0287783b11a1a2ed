import { IsInt, Min } from 'class-validator';
import { CycleDetectedError, GraphValidationError } from '../errors';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { resolveOrchestrationOptions } from '../orchestration-options.defaults';
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
  return new GraphValidator(registry, resolveOrchestrationOptions(limits));
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
      'QUEUED is reserved for distributed execution',
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
});
