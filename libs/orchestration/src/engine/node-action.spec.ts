import { CompiledGraph } from '../graph/compiled-graph';
import { NodeDefinition } from '../graph/graph-definition.interface';
import { NodeStatus } from '../state-tracker/status.enum';
import { nodeActionRefusal, resetPlan } from './node-action';

const S = NodeStatus;

describe('nodeActionRefusal', () => {
  it('allows a retry of any ended node only', () => {
    for (const status of [S.COMPLETED, S.FAILED, S.CANCELLED, S.SKIPPED]) {
      expect(nodeActionRefusal('retry', status)).toBeUndefined();
    }
    for (const status of [S.PENDING, S.READY, S.WAITING, S.RUNNING]) {
      expect(nodeActionRefusal('retry', status)).toMatch(`it is ${status}`);
    }
  });

  it('allows completing a failed node only', () => {
    expect(nodeActionRefusal('complete', S.FAILED)).toBeUndefined();
    for (const status of Object.values(S).filter((s) => s !== S.FAILED)) {
      expect(nodeActionRefusal('complete', status)).toMatch(/only a failed node/);
    }
  });

  it('allows skipping a pending, ready, waiting or failed node only', () => {
    for (const status of [S.PENDING, S.READY, S.WAITING, S.FAILED]) {
      expect(nodeActionRefusal('skip', status)).toBeUndefined();
    }
    for (const status of [S.RUNNING, S.COMPLETED, S.CANCELLED, S.SKIPPED]) {
      expect(nodeActionRefusal('skip', status)).toMatch(`it is ${status}`);
    }
  });
});

describe('resetPlan', () => {
  // a -> b -> c -> d, a -> e; f depends on b and x
  const graph = compile({ a: [], b: ['a'], c: ['b'], d: ['c'], e: ['a'], x: [], f: ['b', 'x'] });
  const ids = (plan: ReturnType<typeof resetPlan>) =>
    'reset' in plan ? plan.reset.map((i) => graph.nodes[i].id).sort() : plan;
  const at = (statuses: Record<string, NodeStatus>) => (i: number) =>
    statuses[graph.nodes[i].id] ?? S.PENDING;
  const a = graph.index.get('a')!;

  it('resets the nodes skipped or cancelled because of it, through skipped nodes only', () => {
    const statusOf = at({
      a: S.FAILED,
      b: S.SKIPPED,
      c: S.SKIPPED,
      d: S.CANCELLED,
      e: S.COMPLETED,
      x: S.RUNNING,
      f: S.SKIPPED,
    });
    expect(ids(resetPlan(graph, statusOf, a, false))).toEqual(['b', 'c', 'd', 'f']);
  });

  it('stops at a node that completed or failed', () => {
    const statusOf = at({
      a: S.COMPLETED,
      b: S.COMPLETED,
      c: S.SKIPPED,
      e: S.FAILED,
      x: S.COMPLETED,
      f: S.COMPLETED,
    });
    expect(ids(resetPlan(graph, statusOf, a, false))).toEqual([]);
  });

  it('with downstream resets every ended node below it, leaving pending ones', () => {
    const statusOf = at({
      a: S.COMPLETED,
      b: S.COMPLETED,
      c: S.FAILED,
      d: S.SKIPPED,
      e: S.COMPLETED,
      x: S.COMPLETED,
    });
    expect(ids(resetPlan(graph, statusOf, a, true))).toEqual(['b', 'c', 'd', 'e']);
  });

  it('with downstream names a node below it that is still active', () => {
    const statusOf = at({ a: S.COMPLETED, b: S.COMPLETED, c: S.RUNNING, e: S.COMPLETED });
    expect(resetPlan(graph, statusOf, a, true)).toEqual({ blocker: graph.index.get('c') });
  });
});

function compile(dependsOn: Record<string, string[]>): CompiledGraph {
  const nodes: NodeDefinition[] = Object.entries(dependsOn).map(([id, deps]) => ({
    id,
    type: 'T',
    dependsOn: deps,
  }));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const edges = nodes.flatMap((n, to) => n.dependsOn!.map((d) => [index.get(d)!, to]));
  return new CompiledGraph({ name: 'g', nodes }, nodes, index, {
    from: Int32Array.from(edges.map(([from]) => from)),
    to: Int32Array.from(edges.map(([, to]) => to)),
  });
}
