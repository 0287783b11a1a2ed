import type { BenchReport } from './bench.report';
import { renderCommands } from './commands.printer';
import { renderDurable } from './durable.printer';
import { renderHttp } from './http.printer';
import { renderMemory } from './memory.printer';
import { int, ms, table } from './report.table';
import type { TargetCheck } from './target.check';

export { table } from './report.table';

/** The report: machine, in memory, durable store vs BullMQ, over HTTP, targets, failures. */
export function renderReport(report: BenchReport): string {
  const { machine } = report;
  const out: string[] = [
    `Trellis benchmark  ${machine.date}`,
    `machine: ${machine.nproc} CPUs (nproc), ${machine.cpuModel}, ${machine.totalMemoryGb} GB; node ${machine.node}`,
    ...renderMemory(report.memory),
    ...renderDurable(report.durable),
    ...renderHttp(report),
    ...renderCommands(report.commands),
    '',
    'Targets',
    table(
      ['target', 'scenario', 'value', 'limit', 'result', 'note'],
      report.targets.map((c) => [
        c.target,
        c.scenario,
        `${value(c)}${c.unit ? ` ${c.unit}` : ''}`,
        `${c.limit}${c.unit && !c.limit.includes('all') ? ` ${c.unit}` : ''}`,
        c.pass === null ? 'n/a' : c.pass ? 'PASS' : 'FAIL',
        c.note ?? '',
      ]),
    ),
  ];
  if (report.failures.length > 0) {
    out.push('', 'FAILURES');
    for (const f of report.failures) out.push(`  ${f.scenario}: ${f.error.split('\n')[0]}`);
  }
  return out.join('\n');
}

function value(check: TargetCheck): string {
  if (check.unit.startsWith('ms')) return ms(check.value);
  return check.unit === '' ? ms(check.value, 2) : int(check.value);
}
