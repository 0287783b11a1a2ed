import type { BenchReport } from './bench.report';
import { compareWithBullmq } from './durable.comparison';
import { scenarioLabel, storeLabel } from './scenario.label';
import { TARGETS, TargetCheck } from './target.check';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The durable-mode targets, against BullMQ measured in the same run: the fan-in at least as
 * many nodes/s as BullMQ's jobs/s, the chain's hop p50 no longer than BullMQ's. Write-behind
 * runs are for comparison only and are not judged.
 */
export function durableTargets(report: BenchReport): TargetCheck[] {
  const suite = report.durable;
  if (!suite) return [];
  const checks: TargetCheck[] = [];
  const missing = suite.bullmq ? undefined : `n/a: no BullMQ figures (${suite.bullmqNote})`;
  for (const result of suite.results) {
    if (result.spec.durability !== 'durable') continue;
    const scenario = `${storeLabel(result.spec)} ${scenarioLabel(result.spec)}`;
    const c = compareWithBullmq(result, suite.bullmq);
    if (result.spec.shape === 'fanin') {
      checks.push({
        target: 'durable fan-in nodes/s vs BullMQ',
        scenario,
        value: c.nodesPerSec,
        unit: 'nodes/s',
        limit: `>= BullMQ's ${int(c.bullmqNodesPerSec)}`,
        pass: suite.bullmq ? c.ratio >= TARGETS.fanInVsBullmq : null,
        note: missing ?? `Trellis/BullMQ ${c.ratio.toFixed(2)}`,
      });
    } else if (c.hopP50Ms !== undefined) {
      checks.push({
        target: 'durable chain hop p50 vs BullMQ',
        scenario,
        value: c.hopP50Ms,
        unit: 'ms',
        limit: `<= BullMQ's ${c.bullmqHopP50Ms!.toFixed(3)}`,
        pass: suite.bullmq ? c.hopRatio! >= TARGETS.hopVsBullmq : null,
        note:
          missing ??
          `BullMQ/Trellis ${c.hopRatio!.toFixed(2)}; insert floor p50 ${c.summary.floor?.p50.toFixed(3) ?? '-'} ms`,
      });
    }
  }
  return checks;
}
