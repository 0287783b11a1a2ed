import { GraphErrorCode } from './orchestration-error-code';
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

/** Options of `GraphValidationError`. */
export interface GraphValidationErrorOptions {
  /** How many problems were found in all, when `problems` lists only the first of them. Default `problems.length`. */
  total?: number;
  /** Default `GRAPH_INVALID`; `GRAPH_CYCLE` when cycles are the only problems. */
  code?: GraphErrorCode;
}

/**
 * A graph definition was rejected. `problems` lists the problems found, in the order found, up to
 * the validator's cap (the first 100); `total` says how many there were in all.
 */
export class GraphValidationError extends OrchestrationError {
  /** How many problems were found in all (at least `problems.length`). */
  readonly total: number;

  constructor(
    readonly problems: GraphProblem[],
    options: GraphValidationErrorOptions = {},
  ) {
    const total = Math.max(options.total ?? problems.length, problems.length);
    super(options.code ?? 'GRAPH_INVALID', describe(problems, total));
    this.total = total;
  }

  /** How many problems were found but are not in `problems`. */
  get unlisted(): number {
    return this.total - this.problems.length;
  }
}

function describe(problems: GraphProblem[], total: number): string {
  const count = `${total} problem${total === 1 ? '' : 's'}`;
  const listed = total > problems.length ? `, the first ${problems.length} listed` : '';
  const shown = problems
    .slice(0, 5)
    .map((p) => p.message)
    .join('; ');
  return `Graph definition is invalid (${count}${listed}): ${shown}${total > 5 ? '; ...' : ''}`;
}
