import type { BullmqFigures } from './bullmq-baseline';
import type { ScenarioResult } from './scenario.result';
import { TypeSummary, summarize } from './scenario.summary';

/** One durable-suite scenario beside BullMQ's figures for the same shape. */
export interface DurableComparison {
  summary: TypeSummary;
  /** Trellis: nodes / (startExecution .. done). */
  nodesPerSec: number;
  /** BullMQ: jobs / (flow.add .. last job done); NaN without BullMQ figures. */
  bullmqNodesPerSec: number;
  /** nodesPerSec / bullmqNodesPerSec. */
  ratio: number;
  /** Chain only: hop p50 in ms (start of node k+1 - end of node k), Trellis and BullMQ. */
  hopP50Ms?: number;
  bullmqHopP50Ms?: number;
  /** Chain only: BullMQ's hop p50 / Trellis's (>= 1: Trellis's hop is no longer). */
  hopRatio?: number;
}

/** Compares a fan-in or chain scenario of the durable suite with BullMQ's run of that shape. */
export function compareWithBullmq(
  result: ScenarioResult,
  bullmq: BullmqFigures | null,
): DurableComparison {
  const summary = summarize(result)[0];
  const chain = result.spec.shape === 'chain';
  const bullmqNodesPerSec = !bullmq
    ? Number.NaN
    : chain
      ? (bullmq.chain.jobs * 1000) / bullmq.chain.totalMs
      : bullmq.fanIn.jobsPerSec;
  const comparison: DurableComparison = {
    summary,
    nodesPerSec: summary.execNodesPerSec,
    bullmqNodesPerSec,
    ratio: summary.execNodesPerSec / bullmqNodesPerSec,
  };
  if (chain && summary.latency) {
    comparison.hopP50Ms = summary.latency.p50;
    comparison.bullmqHopP50Ms = bullmq?.chain.hopP50Ms ?? Number.NaN;
    comparison.hopRatio = comparison.bullmqHopP50Ms / summary.latency.p50;
  }
  return comparison;
}
