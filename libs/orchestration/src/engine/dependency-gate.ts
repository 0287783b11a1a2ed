import { CompiledGraph } from '../graph/compiled-graph';
import { RunWhen } from '../graph/graph-definition.interface';

/** How a dependency ended, as seen by one dependent. `deselected`: a branch not chosen. */
export type EdgeOutcome = 'completed' | 'failed' | 'cancelled' | 'skipped' | 'deselected';

/** What a dependent should do after hearing from one of its dependencies. */
export type GateVerdict = 'wait' | 'ready' | 'skip';

const RULES: Record<RunWhen, number> = { allSucceeded: 0, allDone: 1, noneFailed: 2 };

/**
 * Per-node dependency bookkeeping and the three `runWhen` rules, in flat typed arrays so the
 * scheduler allocates nothing per edge.
 */
export class DependencyGate {
  private readonly remaining: Int32Array;
  private readonly completed: Int32Array;
  private readonly failed: Int32Array;
  private readonly rule: Uint8Array;

  constructor(
    private readonly graph: CompiledGraph,
    ruleOf: (i: number) => RunWhen,
  ) {
    const n = graph.size;
    this.remaining = Int32Array.from(graph.depCount);
    this.completed = new Int32Array(n);
    this.failed = new Int32Array(n);
    this.rule = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.rule[i] = RULES[ruleOf(i)];
  }

  /** Whether node `i` runs whatever its dependencies did (the CLEANUP rule, `allDone`). */
  runsRegardless(i: number): boolean {
    return this.rule[i] === RULES.allDone;
  }

  /** Whether node `i` has no dependencies left to wait for. */
  isFree(i: number): boolean {
    return this.remaining[i] === 0;
  }

  /** Records that one dependency of `d` ended with `outcome` and says what `d` should do now. */
  record(d: number, outcome: EdgeOutcome): GateVerdict {
    this.remaining[d]--;
    this.count(d, outcome);
    return this.verdict(d);
  }

  /**
   * Counts the dependencies of `d` again from scratch: `edgeOf(p)` says how dependency `p` ended
   * as `d` sees it, or null while it has not. For a node an operator sent back to pending, or
   * whose dependency's outcome an operator changed.
   */
  recount(d: number, edgeOf: (p: number) => EdgeOutcome | null): void {
    this.remaining[d] = this.graph.depCount[d];
    this.completed[d] = 0;
    this.failed[d] = 0;
    for (const p of this.graph.depsOf(d)) {
      const outcome = edgeOf(p);
      if (outcome === null) continue;
      this.remaining[d]--;
      this.count(d, outcome);
    }
  }

  /** What `d` should do given the dependencies counted so far. */
  verdict(d: number): GateVerdict {
    const left = this.remaining[d];
    const done = this.graph.depCount[d] - left;
    switch (this.rule[d]) {
      case RULES.allSucceeded:
        if (this.completed[d] < done) return 'skip';
        return left === 0 ? 'ready' : 'wait';
      case RULES.allDone:
        return left === 0 ? 'ready' : 'wait';
      default:
        if (this.failed[d] > 0) return 'skip';
        if (left > 0) return 'wait';
        return this.completed[d] > 0 ? 'ready' : 'skip';
    }
  }

  private count(d: number, outcome: EdgeOutcome): void {
    if (outcome === 'completed') this.completed[d]++;
    else if (outcome === 'failed' || outcome === 'cancelled') this.failed[d]++;
  }
}
