import { Distribution, distribution } from './percentiles';

/** Scheduling latency of one execution, in ms. */
export interface LatencyResult {
  /**
   * The definition: start of a node minus the end of its last dependency, over every
   * node that has dependencies. Includes waiting behind ready siblings (queueing).
   */
  spec: Distribution;
  /**
   * The engine's own dispatch cost: start of a node minus the later of (end of its last
   * dependency, end of the node that ran just before it). Valid because BENCH_NOOP is
   * synchronous, so handler runs never overlap.
   */
  dispatch: Distribution;
  /** Nodes that started between a node's readiness and its own start (how long the queue was). */
  queuedAhead: Distribution;
}

/**
 * Computes latencies from BENCH_NOOP's timing arrays.
 * @throws Error when a node did not run (the execution did not complete).
 */
export function schedulingLatency(
  parents: number[][],
  starts: Float64Array,
  ends: Float64Array,
): LatencyResult {
  const n = parents.length;
  const readyAt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(starts[i]) || Number.isNaN(ends[i])) throw new Error(`node n${i} did not run`);
    let last = Number.NEGATIVE_INFINITY;
    for (const p of parents[i]) if (ends[p] > last) last = ends[p];
    readyAt[i] = last;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => starts[a] - starts[b]);
  const startsInOrder = Float64Array.from(order, (i) => starts[i]);
  const spec: number[] = [];
  const dispatch: number[] = [];
  const queued: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (parents[i].length === 0) continue;
    spec.push(starts[i] - readyAt[i]);
    const previousEnd = k > 0 ? ends[order[k - 1]] : Number.NEGATIVE_INFINITY;
    dispatch.push(starts[i] - Math.max(readyAt[i], previousEnd));
    queued.push(k - firstAtOrAfter(startsInOrder, readyAt[i]));
  }
  return {
    spec: distribution(Float64Array.from(spec)),
    dispatch: distribution(Float64Array.from(dispatch)),
    queuedAhead: distribution(Float64Array.from(queued)),
  };
}

/** Index of the first element of ascending `sorted` that is >= `value`. */
function firstAtOrAfter(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
