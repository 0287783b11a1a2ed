import type { BenchReport } from './bench.report';
import type { LoadResult } from './load.scenario';
import { TARGETS, TargetCheck } from './target.check';

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;

/**
 * The HTTP targets: each real-world graph within 5 ms per dependency level (submit to
 * completed; judged in durable mode, the server's default); under the sustained load every accepted execution complete within 10 s of the
 * end, accept latency p99 <= 100 ms; under any load, answers other than 201 are 503/429 with
 * Retry-After, never a 500.
 */
export function httpTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const shape of report.shapes ?? []) {
    if (shape.durability !== 'durable') continue;
    checks.push({
      target: 'real-world graph: submit to completed per level',
      scenario: `${shape.name} (${shape.nodes} nodes, ${shape.levels} levels)`,
      value: shape.msPerLevel,
      unit: 'ms/level',
      limit: `<= ${TARGETS.msPerLevel}`,
      pass: shape.msPerLevel <= TARGETS.msPerLevel,
      note: `${shape.median.submitToCompletedMs.toFixed(0)} ms for ${shape.levels} levels (budget ${TARGETS.msPerLevel * shape.levels} ms)`,
    });
  }
  for (const load of report.load ?? []) {
    const scenario = `${load.kind} ${load.spec.rate}/s x ${load.spec.seconds} s`;
    if (load.kind === 'sustained') checks.push(...sustainedChecks(load, scenario));
    checks.push(noServerErrors(load, scenario), honestRejections(load, scenario));
  }
  return checks;
}

function sustainedChecks(load: LoadResult, scenario: string): TargetCheck[] {
  const c = load.completion;
  const settleS = c.settleMs / 1000;
  return [
    {
      target: `accepted executions complete within ${settleS} s of the end`,
      scenario,
      value: c.countsAtDeadline?.byStatus.completed ?? 0,
      unit: 'executions',
      limit: `all ${c.accepted.toLocaleString('en-US')} accepted`,
      pass:
        c.accepted > 0 &&
        c.settleMs <= TARGETS.settleMs &&
        // NOTE: every accepted one completed, and nothing else exists but executions a 503
        // named as unconfirmed (those may have been created, and then ran).
        (c.countsAtDeadline?.byStatus.completed ?? 0) >= c.accepted &&
        (c.countsAtDeadline?.byStatus.completed ?? 0) === c.countsAtDeadline?.total &&
        c.countsAtDeadline.total <= c.accepted + c.unconfirmed503 &&
        c.completedInTime === c.sampled,
      note:
        `store counts: ${c.countsAtDeadline?.total ?? '-'} stored (${c.unconfirmed503} 503s named an unconfirmed one), all completed ${c.allCompletedAfterMs === null ? 'never' : `at +${(c.allCompletedAfterMs / 1000).toFixed(1)} s`}; ` +
        `sample of ${c.sampled}: ${c.completedInTime} in time, late ${c.completedLate}, not ended ${c.notEnded}, ` +
        `unread ${c.unconfirmed}, failed/cancelled ${c.endedOtherwise}`,
    },
    {
      target: 'accept latency p99 (201 answers, from when due)',
      scenario,
      value: load.acceptLatency.p99,
      unit: 'ms',
      limit: `<= ${TARGETS.acceptP99Ms}`,
      pass: load.acceptLatency.samples > 0 && load.acceptLatency.p99 <= TARGETS.acceptP99Ms,
      note: `p50 ${load.acceptLatency.p50.toFixed(1)} ms; ${load.acceptedPerSec.toFixed(0)} accepted/s of ${load.spec.rate}/s offered`,
    },
  ];
}

function noServerErrors(load: LoadResult, scenario: string): TargetCheck {
  const errors = Object.entries(load.statuses)
    .filter(([status]) => Number(status) >= 500 && status !== '503')
    .reduce((n, [, count]) => n + count, 0);
  const rejected = (load.statuses['503'] ?? 0) + (load.statuses['429'] ?? 0);
  return {
    target: 'no 500 (no 5xx but 503)',
    scenario,
    value: errors,
    unit: 'answers',
    limit: '= 0',
    pass: errors === 0,
    note: `503/429: ${rejected} of ${load.sent} (${pct(rejected, load.sent)})`,
  };
}

function honestRejections(load: LoadResult, scenario: string): TargetCheck {
  const s = load.statuses;
  const rejected = (s['503'] ?? 0) + (s['429'] ?? 0);
  const dishonest = load.sent - (s['201'] ?? 0) - rejected + load.rejectedWithoutRetryAfter;
  return {
    target: 'every answer but 201 is a 503/429 with Retry-After',
    scenario,
    value: dishonest,
    unit: 'answers',
    limit: '= 0',
    pass: dishonest === 0,
    note:
      `500: ${s['500'] ?? 0}; 503/429: ${rejected} (${pct(rejected, load.sent)}); ` +
      `no answer (connection failed or timed out): ${s['0'] ?? 0}; ` +
      `without Retry-After: ${load.rejectedWithoutRetryAfter}`,
  };
}
