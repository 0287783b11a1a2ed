import { compareWithBullmq } from './durable.comparison';
import type { DurableSuiteResult } from './durable.suite';
import { int, mb, ms, table } from './report.table';
import { scenarioLabel, storeLabel } from './scenario.label';

/** The durable suite: Trellis per backend and mode beside BullMQ, writes per node, the floor. */
export function renderDurable(suite: DurableSuiteResult | null): string[] {
  if (!suite) return [];
  const out: string[] = ['', 'Durable store (MongoDB store, BENCH_NOOP) and BullMQ, same run'];
  out.push(...suite.servers.map((s) => `  ${s}`));
  const b = suite.bullmq;
  out.push(
    b
      ? `  BullMQ ${b.bullmqVersion} on Redis ${b.redisVersion}: ${b.workers} worker process, concurrency ${b.concurrency} (fan-in) / ${b.chainConcurrency} (chain), median of ${b.raw.fanIn.length} round(s)`
      : `  BullMQ: ${suite.bullmqNote}`,
  );
  const compared = suite.results.map((r) => ({ r, c: compareWithBullmq(r, b) }));
  out.push(
    '',
    table(
      [
        'store mode',
        'graph',
        'nodes',
        'runs',
        'nodes/s',
        'w/ graph/s',
        'BullMQ/s',
        'T/B',
        'hop p50 ms',
        'hop p90 ms',
        'hop p99 ms',
        'hop max ms',
        'BullMQ p50',
        'B/T hop',
        'exec ms',
        'peak RSS MB',
      ],
      compared.map(({ r, c }) => {
        const hop = c.hopP50Ms === undefined ? undefined : c.summary.latency;
        return [
          storeLabel(r.spec),
          scenarioLabel(r.spec),
          int(r.nodes),
          `${c.summary.runs}`,
          int(c.nodesPerSec),
          int(c.summary.nodesPerSec),
          int(c.bullmqNodesPerSec),
          ms(c.ratio, 2),
          ms(hop?.p50),
          ms(hop?.p90),
          ms(hop?.p99),
          ms(hop?.max),
          ms(c.bullmqHopP50Ms),
          ms(c.hopRatio, 2),
          ms(c.summary.execMs, 0),
          mb(r.peakRssBytes),
        ];
      }),
    ),
    '  nodes/s = nodes / (startExecution .. done); w/ graph = nodes / (createGraph .. done), storing the definition included;',
    '  BullMQ/s = jobs / (flow.add called .. last job done), adding the jobs included; T/B = Trellis nodes/s / BullMQ/s',
    '  hop = start of node k+1 - end of node k (chain); B/T hop = BullMQ hop p50 / Trellis hop p50 (>= 1: Trellis no slower)',
    '',
    'Durable store: writes per node (startExecution .. done) and the insert floor (same database)',
    table(
      [
        'store mode',
        'graph',
        'inserts/node',
        'pages/node',
        'entries/node',
        'other/node',
        'floor p50 ms',
        'floor p99 ms',
        'hop p50 / floor p50',
      ],
      compared.map(({ r, c }) => {
        const w = c.summary.writesPerNode;
        const floor = c.summary.floor;
        return [
          storeLabel(r.spec),
          scenarioLabel(r.spec),
          ms(w?.appendCalls, 4),
          ms(w?.pages, 4),
          ms(w?.entries, 2),
          ms(w?.other, 4),
          ms(floor?.p50),
          ms(floor?.p99),
          ms(c.hopP50Ms !== undefined && floor ? c.hopP50Ms / floor.p50 : undefined, 2),
        ];
      }),
    ),
    '  inserts = appendPages calls (one insert command each); other = createExecution + recordOutcomes + saveCheckpoint calls',
    '  floor = one tiny insertOne round trip, 500 in a row after each run: a durable hop waits for at least one',
  );
  if (b) {
    out.push(
      '',
      'BullMQ rounds (fan-in jobs/s; chain hop ms)',
      table(
        [
          'round',
          'fan-in jobs/s',
          'fan-in add ms',
          'chain total ms',
          'hop p50',
          'hop p90',
          'hop p99',
        ],
        b.raw.fanIn.map((f, i) => [
          `${i + 1}`,
          int(f.jobsPerSec),
          ms(f.addMs, 0),
          ms(b.raw.chain[i].totalMs, 0),
          ms(b.raw.chain[i].hopP50Ms),
          ms(b.raw.chain[i].hopP90Ms),
          ms(b.raw.chain[i].hopP99Ms),
        ]),
      ),
    );
  }
  return out;
}
