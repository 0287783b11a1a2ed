import { TARGETS, TargetCheck } from './target.check';
import type { ScenarioResult } from './scenario.result';
import { scenarioLabel } from './scenario.label';
import { summarize } from './scenario.summary';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The in-memory targets: throughput (the chain >= 500,000 nodes/s, the wide graphs >= 100,000),
 * p99 scheduling latency, validation time and engine heap per node (<= 1 KB).
 */
export function memoryTargets(results: ScenarioResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const result of results) {
    const scenario = `memory ${scenarioLabel(result.spec)}`;
    const byType = new Map(summarize(result).map((s) => [s.nodeType, s]));
    const throughput = byType.get('DELAY') ?? byType.get('BENCH_NOOP')!;
    const noop = byType.get('BENCH_NOOP');
    const floor =
      result.spec.shape === 'chain' ? TARGETS.chainNodesPerSec : TARGETS.memoryNodesPerSec;
    checks.push({
      target: `throughput (${throughput.nodeType}, run() to done)`,
      scenario,
      value: throughput.nodesPerSec,
      unit: 'nodes/s',
      limit: `>= ${int(floor)}`,
      pass: throughput.nodesPerSec >= floor,
      note: `execution phase alone: ${int(throughput.execNodesPerSec)} nodes/s`,
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
        limit: `<= ${int(TARGETS.engineBytesPerNode)}`,
        pass: result.engineMemory.bytesPerNode <= TARGETS.engineBytesPerNode,
      });
    }
  }
  return checks;
}
