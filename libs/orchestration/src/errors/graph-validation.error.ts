import { OrchestrationError } from './orchestration.error';

/** One thing wrong with a graph definition. */
export interface GraphProblem {
  /** Machine-readable kind: `DUPLICATE_NODE_ID`, `UNKNOWN_DEPENDENCY`, `CYCLE`, ... */
  code: string;
  /** Human-readable sentence. */
  message: string;
  /** JSON path of the offending value, e.g. `nodes[3].dependsOn[0]`. */
  path?: string;
  /** The node concerned, when there is one. */
  nodeId?: string;
  /** For `CYCLE`: the node ids along the cycle, first repeated last. */
  cycle?: string[];
}

/** A graph definition was rejected; `problems` lists every problem found, not just the first. */
export class GraphValidationError extends OrchestrationError {
  constructor(
    readonly problems: GraphProblem[],
    code = 'GRAPH_INVALID',
  ) {
    super(
      code,
      `Graph definition is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
        problems
          .slice(0, 5)
          .map((p) => p.message)
          .join('; ') +
        (problems.length > 5 ? '; ...' : ''),
    );
  }
}
