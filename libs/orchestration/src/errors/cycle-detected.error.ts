import { GraphValidationError, GraphProblem } from './graph-validation.error';

/**
 * A graph was rejected because its dependencies form a cycle (and nothing else was wrong).
 * `cycle` is the path, first node repeated last: `['a', 'b', 'c', 'a']`.
 */
export class CycleDetectedError extends GraphValidationError {
  readonly cycle: string[];

  constructor(problems: GraphProblem[]) {
    super(problems, 'GRAPH_CYCLE');
    this.cycle = problems[0]?.cycle ?? [];
  }
}
