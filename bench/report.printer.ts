import type { TargetCheck } from './bench.targets';
import type { MachineInfo } from './machine.info';
import type { ScenarioResult } from './scenario.result';
import { scenarioLabel } from './scenario.label';
import { summarize } from './scenario.summary';

const int = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? '-' : Math.round(n).toLocaleString('en-US');
const ms = (n: number | undefined, digits = 3) =>
  n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** Renders rows as a plain-text table, numbers right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = (s: string) => /^[-+]?[\d,.]+( ?[a-zA-Z%/]*)?$|^-$/.test(s);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        numeric(cell) && c > 0 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report: machine, per-scenario medians, the MongoDB ceiling, and the targets. */
export function renderReport(
  machine: MachineInfo,
  results: ScenarioResult[],
  checks: TargetCheck[],
  mongo: string | null,
): string {
  const out: string[] = [];
  out.push(
    `Trellis benchmark  ${machine.date}`,
    `machine: ${machine.nproc} CPUs (nproc), ${machine.cpuModel}, ${machine.totalMemoryGb} GB; node ${machine.node}`,
    `MongoDB store: ${mongo ?? 'not run'}`,
    ...(['memory', 'mongo'] as const).flatMap((store) => {
      const sizes = results.filter((r) => r.spec.store === store).map((r) => scenarioLabel(r.spec));
      return sizes.length ? [`graphs on ${store}: ${sizes.join(', ')}`] : [];
    }),
    '',
    'Throughput and scheduling latency (medians of the timed runs; latency from BENCH_NOOP runs)',
  );
  const rows: string[][] = [];
  for (const r of results) {
    for (const s of summarize(r)) {
      rows.push([
        r.spec.store,
        scenarioLabel(r.spec),
        int(r.nodes),
        int(r.edges),
        s.nodeType,
        `${s.runs}`,
        int(s.nodesPerSec),
        int(s.execNodesPerSec),
        ms(s.totalMs, 1),
        ms(s.graphMs, 1),
        int(s.coldNodesPerSec),
        ms(s.latency?.p50),
        ms(s.latency?.p99),
        int(s.latency?.queuedP50),
        int(s.latency?.queuedP99),
        ms(s.latency?.dispatchP50, 4),
        ms(s.latency?.dispatchP99, 4),
        ms(s.latency?.dispatchMax, 2),
      ]);
    }
  }
  out.push(
    table(
      [
        'store',
        'graph',
        'nodes',
        'edges',
        'type',
        'runs',
        'nodes/s',
        'exec nodes/s',
        'run ms',
        'graph ms',
        'cold nodes/s',
        'lat p50 ms',
        'lat p99 ms',
        'queue p50',
        'queue p99',
        'disp p50 ms',
        'disp p99 ms',
        'disp max ms',
      ],
      rows,
    ),
    '  nodes/s = nodes / (run() called .. done resolved); exec = startExecution .. done; graph ms = createGraph (validate + store)',
    '  lat = node start - end of its last dependency (as specified; includes waiting behind ready siblings); queue = nodes that started in that interval',
    "  disp = node start - max(end of its last dependency, end of the node run just before it): the engine's own per-node dispatch cost",
    '',
    'Memory and validation',
  );
  out.push(
    table(
      [
        'store',
        'graph',
        'validate cold ms',
        'validate warm ms',
        'base heap MB',
        'peak heap MB',
        'base RSS MB',
        'peak RSS MB',
        'engine B/node',
        'kept B/node',
      ],
      results.map((r) => [
        r.spec.store,
        scenarioLabel(r.spec),
        ms(r.validation?.coldMs, 1),
        ms(r.validation?.warmMs, 1),
        mb(r.baselineHeapBytes),
        mb(r.peakHeapBytes),
        mb(r.baselineRssBytes),
        mb(r.peakRssBytes),
        int(r.engineMemory?.bytesPerNode),
        int(r.engineMemory?.retainedBytesPerNode),
      ]),
    ),
    "  base = after gc once the app is up; peak heap = sampled at the engine's yields (includes uncollected garbage); peak RSS = kernel high-water mark",
    '  engine B/node = heap + ArrayBuffers retained by one live execution (all nodes but a held sink completed), after gc, / nodes',
    '  kept B/node = the same once that execution ended: what the in-memory store keeps for retentionMs (7 days by default)',
  );
  const mongoRows = results.filter((r) => r.spec.store === 'mongo');
  if (mongoRows.length > 0) {
    out.push('', `MongoDB store against the server's ceiling (${mongoRows[0].server ?? 'server'})`);
    out.push(
      table(
        [
          'graph',
          'nodes',
          'nodes/s',
          'exec nodes/s',
          'ceiling ops/s',
          'ratio',
          'exec ratio',
          'chunk',
        ],
        mongoRows.flatMap((r) =>
          summarize(r).map((s) => [
            scenarioLabel(r.spec),
            int(r.nodes),
            int(s.nodesPerSec),
            int(s.execNodesPerSec),
            int(s.ceilingOpsPerSec),
            ms(s.ratio, 2),
            ms(s.execRatio, 2),
            `${r.runs[0]?.ceiling?.chunk ?? '-'}`,
          ]),
        ),
      ),
      "  ceiling = conditional single-document updateOne ops/s (the store's write), in bulkWrites of `chunk`, on a collection of the graph's size",
    );
  }
  out.push('', 'Targets');
  out.push(
    table(
      ['target', 'scenario', 'value', 'limit', 'result', 'note'],
      checks.map((c) => [
        c.target,
        c.scenario,
        `${c.unit === 'ms' ? ms(c.value) : c.unit === '' ? ms(c.value, 2) : int(c.value)}${c.unit ? ` ${c.unit}` : ''}`,
        `${c.limit}${c.unit ? ` ${c.unit}` : ''}`,
        c.pass === null ? 'n/a' : c.pass ? 'PASS' : 'FAIL',
        c.note ?? '',
      ]),
    ),
  );
  return out.join('\n');
}
