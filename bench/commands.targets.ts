import type { BenchReport } from './bench.report';
import { TARGETS, TargetCheck } from './target.check';

/**
 * The commands target: a command sent to an instance that does not own the execution takes
 * effect on the owner within 100 ms at p99 (from the sender's call to the gate completed / the
 * execution cancelled on the owner), one row per command type. A command that threw, or whose
 * effect the owner never saw, fails it.
 */
export function commandsTargets(report: BenchReport): TargetCheck[] {
  const suite = report.commands;
  if (!suite) return [];
  return suite.types.map((t) => {
    const lost = t.errors + t.missed + t.endedOtherwise;
    return {
      target: 'command pickup p99 (other instance: call .. effect on the owner)',
      scenario: `${t.type} x ${t.sent}, ${suite.gapMs} ms apart`,
      value: t.toDone.p99,
      unit: 'ms',
      limit: `<= ${TARGETS.commandPickupP99Ms}`,
      pass: t.toDone.samples > 0 && lost === 0 && t.toDone.p99 <= TARGETS.commandPickupP99Ms,
      note:
        `p50 ${t.toDone.p50.toFixed(1)} ms, max ${t.toDone.max.toFixed(1)} ms; ` +
        `from the call's return (record stored) p99 ${t.afterReturn.p99.toFixed(1)} ms; ` +
        `commandPollMs ${suite.pollMs}${suite.pollMsIsDefault ? ' (default)' : ''}; ` +
        `errors ${t.errors}, missed ${t.missed}, ended otherwise ${t.endedOtherwise}`,
    };
  });
}
