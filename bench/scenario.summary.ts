import type { BenchNodeType } from './graph-shapes';
import { median } from './percentiles';
import type { RunResult, ScenarioResult } from './scenario.result';

/** Medians over a scenario's timed runs of one node type. */
export interface TypeSummary {
  nodeType: BenchNodeType;
  runs: number;
  nodesPerSec: number;
  execNodesPerSec: number;
  totalMs: number;
  graphMs: number;
  execMs: number;
  /** nodes/s of the first (cold) run in the process. */
  coldNodesPerSec: number;
  latency?: {
    p50: number;
    p90: number;
    p99: number;
    max: number;
    dispatchP50: number;
    dispatchP99: number;
    dispatchMax: number;
    queuedP50: number;
    queuedP99: number;
  };
  /** mongo only: store writes per node (medians over runs of each run's count / nodes). */
  writesPerNode?: { appendCalls: number; pages: number; entries: number; other: number };
  /** mongo only: the tiny insertOne round trip in the same database (medians over runs). */
  floor?: { p50: number; p99: number };
}

/** A scenario's summaries, one per node type. */
export function summarize(result: ScenarioResult): TypeSummary[] {
  return result.spec.nodeTypes.map((nodeType) => {
    const all = result.runs.filter((r) => r.nodeType === nodeType);
    const timed = all.filter((r) => !r.warmup);
    const m = (f: (r: RunResult) => number) => median(timed.map(f));
    const summary: TypeSummary = {
      nodeType,
      runs: timed.length,
      nodesPerSec: m((r) => r.timing.nodesPerSec),
      execNodesPerSec: m((r) => r.timing.execNodesPerSec),
      totalMs: m((r) => r.timing.totalMs),
      graphMs: m((r) => r.timing.graphMs),
      execMs: m((r) => r.timing.execMs),
      coldNodesPerSec: all[0]?.timing.nodesPerSec ?? Number.NaN,
    };
    if (timed.every((r) => r.latency)) {
      summary.latency = {
        p50: m((r) => r.latency!.spec.p50),
        p90: m((r) => r.latency!.spec.p90),
        p99: m((r) => r.latency!.spec.p99),
        max: Math.max(...timed.map((r) => r.latency!.spec.max)),
        dispatchP50: m((r) => r.latency!.dispatch.p50),
        dispatchP99: m((r) => r.latency!.dispatch.p99),
        dispatchMax: Math.max(...timed.map((r) => r.latency!.dispatch.max)),
        queuedP50: m((r) => r.latency!.queuedAhead.p50),
        queuedP99: m((r) => r.latency!.queuedAhead.p99),
      };
    }
    if (timed.length > 0 && timed.every((r) => r.writes)) {
      const per = (f: (r: RunResult) => number) => m((r) => f(r) / result.nodes);
      summary.writesPerNode = {
        appendCalls: per((r) => r.writes!.appendCalls),
        pages: per((r) => r.writes!.pages),
        entries: per((r) => r.writes!.entries),
        other: per((r) => r.writes!.creations + r.writes!.outcomeWrites + r.writes!.checkpoints),
      };
    }
    if (timed.length > 0 && timed.every((r) => r.floor)) {
      summary.floor = { p50: m((r) => r.floor!.p50), p99: m((r) => r.floor!.p99) };
    }
    return summary;
  });
}
