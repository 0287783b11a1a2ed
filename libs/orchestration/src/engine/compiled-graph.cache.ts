import { CompiledGraph } from '../graph/compiled-graph';

/**
 * Compiled graphs by graph id, the least recently used out first. Bounded by graphs and by
 * nodes: 256 graphs of 100,000 nodes would hold gigabytes. A graph that is not cached is
 * compiled again from the store by the caller.
 */
export class CompiledGraphCache {
  private readonly graphs = new Map<string, CompiledGraph>();
  private nodes = 0;

  constructor(
    private readonly maxGraphs = 256,
    private readonly maxNodes = 200_000,
  ) {}

  /** The cached graph, now the most recently used; undefined when not cached. */
  get(graphId: string): CompiledGraph | undefined {
    const graph = this.graphs.get(graphId);
    if (graph) {
      this.graphs.delete(graphId);
      this.graphs.set(graphId, graph);
    }
    return graph;
  }

  /** Caches a graph, evicting the least recently used ones over the bounds (never the last one). */
  set(graphId: string, graph: CompiledGraph): void {
    this.delete(graphId);
    this.graphs.set(graphId, graph);
    this.nodes += graph.size;
    while (
      this.graphs.size > 1 &&
      (this.graphs.size > this.maxGraphs || this.nodes > this.maxNodes)
    ) {
      this.delete(this.graphs.keys().next().value!);
    }
  }

  delete(graphId: string): void {
    const graph = this.graphs.get(graphId);
    if (!graph) return;
    this.graphs.delete(graphId);
    this.nodes -= graph.size;
  }
}
