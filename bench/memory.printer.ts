import { int, mb, ms, table } from './report.table';
import type { ScenarioResult } from './scenario.result';
import { scenarioLabel } from './scenario.label';
import { summarize } from './scenario.summary';

/** The in-memory tables: throughput and scheduling latency, then memory and validation. */
export function renderMemory(results: ScenarioResult[]): string[] {
  if (results.length === 0) return [];
  const out: string[] = [
    `graphs in memory: ${results.map((r) => scenarioLabel(r.spec)).join(', ')}`,
    '',
    'In memory: throughput and scheduling latency (medians of the timed runs; latency from BENCH_NOOP runs)',
  ];
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
    'In memory: memory and validation',
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
  return out;
}
