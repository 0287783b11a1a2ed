import { GraphProblem } from '../errors';
import { MAX_GRAPH_PROBLEMS } from './graph.constants';

/**
 * The problems of one graph as validation finds them: keeps the first `limit` in order and
 * counts all of them, so a hostile definition costs a counter, not memory.
 */
export class GraphProblemList {
  private readonly kept: GraphProblem[] = [];
  private count = 0;

  /** @param limit most problems kept. Default `MAX_GRAPH_PROBLEMS` (100). */
  constructor(private readonly limit = MAX_GRAPH_PROBLEMS) {}

  /** Records a problem (kept while fewer than `limit` are). */
  push(problem: GraphProblem): void {
    if (this.count++ < this.limit) this.kept.push(problem);
  }

  /** How many problems were recorded in all. */
  get total(): number {
    return this.count;
  }

  /** The problems kept: the first `limit` recorded, in order. */
  get items(): GraphProblem[] {
    return this.kept;
  }
}
