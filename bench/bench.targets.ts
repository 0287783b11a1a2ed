import type { BenchReport } from './bench.report';
import type { TargetCheck } from './target.check';
import { commandsTargets } from './commands.targets';
import { durableTargets } from './durable.targets';
import { httpTargets } from './http.targets';
import { memoryTargets } from './memory.targets';

export type { TargetCheck } from './target.check';
export { TARGETS } from './target.check';

/** Checks every applicable target against the report's medians. */
export function checkTargets(report: BenchReport): TargetCheck[] {
  return [
    ...memoryTargets(report.memory),
    ...durableTargets(report),
    ...httpTargets(report),
    ...commandsTargets(report),
  ];
}
