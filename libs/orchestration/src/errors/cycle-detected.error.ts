import { GraphValidationError, GraphProblem } from './graph-validation.error';

/**
 * A graph was rejected because its dependencies form a cycle (and nothing else was wrong).
 * `cycle` is the path of the first cycle, first node repeated last: `['a', 'b', 'c', 'a']`.
 */
export class CycleDetectedError extends GraphValidationError {
  readonly cycle: string[];

  /** @param total how many cycles were found in all, when `problems` lists only the first. */
  constructor(problems: GraphProblem[], total = problems.length) {
    super(problems, { total, code: 'GRAPH_CYCLE' });
    this.cycle = problems[0]?.cycle ?? [];
  }
}
