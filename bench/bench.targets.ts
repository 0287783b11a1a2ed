import type { ScenarioResult } from './scenario.result';
import { scenarioLabel } from './scenario.label';
import { summarize } from './scenario.summary';

/** One target of the issue checked against one scenario; `pass` is null when it does not apply. */
export interface TargetCheck {
  target: string;
  scenario: string;
  value: number;
  unit: string;
  limit: string;
  pass: boolean | null;
  note?: string;
}

/** The thresholds. */
export const TARGETS = {
  memoryNodesPerSec: 100_000,
  p99LatencyMs: 1,
  validationMs: 50,
  engineBytesPerNode: 2048,
  mongoRatio: 0.5,
  mongoNodesPerSec: 2000,
} as const;

/** Checks every applicable target against the scenarios' medians. */
export function checkTargets(results: ScenarioResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const result of results) {
    const scenario = `${result.spec.store} ${scenarioLabel(result.spec)}`;
    const byType = new Map(summarize(result).map((s) => [s.nodeType, s]));
    const throughput = byType.get('DELAY') ?? byType.get('BENCH_NOOP')!;
    const noop = byType.get('BENCH_NOOP');
    if (result.spec.store === 'memory') {
      checks.push({
        target: `throughput (${throughput.nodeType}, run() to done)`,
        scenario,
        value: throughput.nodesPerSec,
        unit: 'nodes/s',
        limit: `>= ${TARGETS.memoryNodesPerSec.toLocaleString('en-US')}`,
        pass: throughput.nodesPerSec >= TARGETS.memoryNodesPerSec,
        note: `execution phase alone: ${Math.round(throughput.execNodesPerSec).toLocaleString('en-US')} nodes/s`,
      });
      if (noop?.latency) {
        checks.push({
          target: 'scheduling latency p99 (as specified)',
          scenario,
          value: noop.latency.p99,
          unit: 'ms',
          limit: `<= ${TARGETS.p99LatencyMs}`,
          pass: noop.latency.p99 <= TARGETS.p99LatencyMs,
          note: `dispatch gap p99 ${noop.latency.dispatchP99.toFixed(4)} ms`,
        });
      }
      if (result.validation) {
        checks.push({
          target: 'validate() (warm median)',
          scenario,
          value: result.validation.warmMs,
          unit: 'ms',
          limit: `<= ${TARGETS.validationMs}`,
          pass: result.validation.warmMs <= TARGETS.validationMs,
          note: `first call in the process: ${result.validation.coldMs.toFixed(1)} ms`,
        });
      }
      if (result.engineMemory) {
        checks.push({
          target: 'engine heap per node (live, after gc)',
          scenario,
          value: result.engineMemory.bytesPerNode,
          unit: 'B',
          limit: `<= ${TARGETS.engineBytesPerNode}`,
          pass: result.engineMemory.bytesPerNode <= TARGETS.engineBytesPerNode,
        });
      }
    } else if (throughput.ratio !== undefined && throughput.ceilingOpsPerSec !== undefined) {
      checks.push({
        target: 'nodes/s / server ceiling ops/s',
        scenario,
        value: throughput.ratio,
        unit: '',
        limit: `>= ${TARGETS.mongoRatio}`,
        pass: throughput.ratio >= TARGETS.mongoRatio,
        note: `execution phase alone: ${throughput.execRatio!.toFixed(2)}`,
      });
      const allowed = throughput.ceilingOpsPerSec >= TARGETS.mongoNodesPerSec;
      checks.push({
        target: 'throughput on MongoDB store',
        scenario,
        value: throughput.nodesPerSec,
        unit: 'nodes/s',
        limit: `>= ${TARGETS.mongoNodesPerSec.toLocaleString('en-US')} if the server allows`,
        pass: allowed ? throughput.nodesPerSec >= TARGETS.mongoNodesPerSec : null,
        note: allowed
          ? undefined
          : `n/a: the server's ceiling is ${Math.round(throughput.ceilingOpsPerSec)} ops/s`,
      });
    }
  }
  return checks;
}
