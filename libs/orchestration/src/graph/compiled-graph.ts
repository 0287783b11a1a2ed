import { GraphDefinition, NodeDefinition } from './graph-definition.interface';

/**
 * A validated graph in index form, built once and shared by every execution of it.
 * Node `i` is `nodes[i]`; edges are stored as CSR arrays so the scheduler walks them
 * without allocating: the dependents of `i` are `dependents[dependentsStart[i] .. dependentsStart[i+1])`.
 */
export class CompiledGraph {
  /** Node id -> index. */
  readonly index: Map<string, number>;
  /** Number of distinct dependencies per node. */
  readonly depCount: Int32Array;
  readonly depsStart: Int32Array;
  readonly deps: Int32Array;
  readonly dependentsStart: Int32Array;
  readonly dependents: Int32Array;

  constructor(
    readonly definition: GraphDefinition,
    /** Nodes with dependsOn de-duplicated; same order as the definition. */
    readonly nodes: NodeDefinition[],
    index: Map<string, number>,
    edges: { from: Int32Array; to: Int32Array },
  ) {
    this.index = index;
    const n = nodes.length;
    const m = edges.from.length;
    this.depCount = new Int32Array(n);
    const outCount = new Int32Array(n);
    for (let e = 0; e < m; e++) {
      this.depCount[edges.to[e]]++;
      outCount[edges.from[e]]++;
    }
    this.depsStart = prefixSum(this.depCount);
    this.dependentsStart = prefixSum(outCount);
    this.deps = new Int32Array(m);
    this.dependents = new Int32Array(m);
    const depFill = this.depsStart.slice(0, n);
    const outFill = this.dependentsStart.slice(0, n);
    for (let e = 0; e < m; e++) {
      const from = edges.from[e];
      const to = edges.to[e];
      this.deps[depFill[to]++] = from;
      this.dependents[outFill[from]++] = to;
    }
  }

  /** Number of nodes. */
  get size(): number {
    return this.nodes.length;
  }

  /** Number of dependency edges. */
  get edgeCount(): number {
    return this.deps.length;
  }

  /** Indices of the nodes that `i` depends on. */
  depsOf(i: number): Int32Array {
    return this.deps.subarray(this.depsStart[i], this.depsStart[i + 1]);
  }

  /** Indices of the nodes that depend on `i`. */
  dependentsOf(i: number): Int32Array {
    return this.dependents.subarray(this.dependentsStart[i], this.dependentsStart[i + 1]);
  }
}

function prefixSum(counts: Int32Array): Int32Array {
  const out = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) out[i + 1] = out[i] + counts[i];
  return out;
}
