import type { GraphDefinition } from '../libs/orchestration/src';

/** A generated graph of DELAY 0 nodes and what its shape is, for the report. */
export interface ShapedGraph {
  name: string;
  /** One line on what it models. */
  description: string;
  definition: GraphDefinition;
  nodes: number;
  edges: number;
  /** Nodes on the longest dependency chain (a graph of roots only has 1). */
  levels: number;
  /** Nodes at the most populated depth. */
  widestLevel: number;
}

/**
 * Builds a graph of DELAY `{ ms: 0 }` nodes (no-op work, so its critical path of work is 0)
 * node by node; each node's dependencies must already be added, so nodes arrive in
 * topological order and each node's depth is known when it is added.
 */
export class DagBuilder {
  private readonly nodes: GraphDefinition['nodes'] = [];
  private readonly depth = new Map<string, number>();
  private edges = 0;

  /**
   * Adds node `id` depending on `dependsOn` (duplicates dropped); returns `id`.
   * @throws Error when the id is taken or a dependency is unknown.
   */
  add(id: string, dependsOn: string[] = []): string {
    if (this.depth.has(id)) throw new Error(`node ${id} added twice`);
    const deps = [...new Set(dependsOn)];
    let depth = 1;
    for (const dep of deps) {
      const d = this.depth.get(dep);
      if (d === undefined) throw new Error(`node ${id} depends on unknown node ${dep}`);
      depth = Math.max(depth, d + 1);
    }
    this.depth.set(id, depth);
    this.edges += deps.length;
    this.nodes.push({
      id,
      type: 'DELAY',
      config: { ms: 0 },
      ...(deps.length > 0 ? { dependsOn: deps } : {}),
    });
    return id;
  }

  /** The graph as built, with its counts and levels. */
  build(name: string, description: string): ShapedGraph {
    const perDepth = new Map<number, number>();
    for (const d of this.depth.values()) perDepth.set(d, (perDepth.get(d) ?? 0) + 1);
    return {
      name,
      description,
      definition: { name, nodes: this.nodes },
      nodes: this.nodes.length,
      edges: this.edges,
      levels: Math.max(0, ...perDepth.keys()),
      widestLevel: Math.max(0, ...perDepth.values()),
    };
  }
}
