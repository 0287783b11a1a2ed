import { CompiledGraph } from '../graph/compiled-graph';
import { NodeDefinition } from '../graph/graph-definition.interface';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { actionRefusal, nodeActionRefusal, resetPlan, stoppedNodes } from './node-action';

const S = NodeStatus;
const RETRY = { kind: 'retry' } as const;
const DOWNSTREAM = { kind: 'retry', downstream: true } as const;

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
    expect(ids(resetPlan(graph, statusOf, a, RETRY))).toEqual(['b', 'c', 'd', 'f']);
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
    expect(ids(resetPlan(graph, statusOf, a, RETRY))).toEqual([]);
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
    expect(ids(resetPlan(graph, statusOf, a, DOWNSTREAM))).toEqual(['b', 'c', 'd', 'e']);
  });

  it('with downstream names a node below it that is still active', () => {
    const statusOf = at({ a: S.COMPLETED, b: S.COMPLETED, c: S.RUNNING, e: S.COMPLETED });
    expect(resetPlan(graph, statusOf, a, DOWNSTREAM)).toEqual({ blocker: graph.index.get('c') });
  });

  it('refuses a retry without downstream while a direct dependent is ready, waiting or running', () => {
    for (const status of [S.READY, S.WAITING, S.RUNNING]) {
      const statusOf = at({ a: S.COMPLETED, b: S.COMPLETED, e: status });
      expect(resetPlan(graph, statusOf, a, RETRY)).toEqual({ blocker: graph.index.get('e') });
    }
  });

  it('refuses a retry without downstream while a node further below is running', () => {
    const statusOf = at({ a: S.COMPLETED, b: S.COMPLETED, c: S.RUNNING, e: S.COMPLETED });
    expect(resetPlan(graph, statusOf, a, RETRY)).toEqual({ blocker: graph.index.get('c') });
    expect(actionRefusal(graph, statusOf, { kind: 'retry', nodeId: 'a', by: 'ana' })).toBe(
      'node c downstream of it is running: retry once it has ended',
    );
  });

  it('lets complete and skip through while dependents run (they do not take an output back)', () => {
    const statusOf = at({ a: S.FAILED, e: S.RUNNING });
    expect(resetPlan(graph, statusOf, a, { kind: 'complete' })).toEqual({ reset: [] });
    expect(resetPlan(graph, statusOf, a, { kind: 'skip' })).toEqual({ reset: [] });
  });
});

describe('stoppedNodes', () => {
  const nodes = [
    { status: S.COMPLETED },
    { status: S.CANCELLED },
    { status: S.SKIPPED },
    { status: S.SKIPPED, lastAction: { action: 'skip-node' as const, by: 'ana', at: new Date() } },
    { status: S.FAILED },
  ];
  const of = (j: number) => nodes[j];

  it('finds the cancelled and skipped nodes of a cancelled or halted execution, not those an operator skipped', () => {
    const cancelled = { status: ExecutionStatus.CANCELLED, error: null };
    expect(stoppedNodes(cancelled, of, nodes.length)).toEqual([1, 2]);
    const halted = {
      status: ExecutionStatus.FAILED,
      error: { code: 'GRAPH_EXECUTION_HALT', message: 'critical node x failed' },
    };
    expect(stoppedNodes(halted, of, nodes.length)).toEqual([1, 2]);
  });

  it('finds none in an execution that ended by itself', () => {
    const failed = {
      status: ExecutionStatus.FAILED,
      error: { code: 'NODES_FAILED', message: '1 node(s) failed: e' },
    };
    expect(stoppedNodes(failed, of, nodes.length)).toEqual([]);
    expect(
      stoppedNodes({ status: ExecutionStatus.COMPLETED, error: null }, of, nodes.length),
    ).toEqual([]);
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
