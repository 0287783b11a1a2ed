import type { BenchReport } from './bench.report';
import type { LoadResult } from './load.scenario';
import { int, mb, ms, table } from './report.table';

/** The HTTP suites: the real-world graphs, then each load and its completion check. */
export function renderHttp(report: BenchReport): string[] {
  if (!report.http) return [];
  const out: string[] = [
    '',
    `Over HTTP: node dist/src/main.js (${report.http.build}) on ${report.http.store}`,
    `  server env: ${Object.entries(report.http.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ' ',
      )}${'TRELLIS_DURABILITY' in report.http.env ? '' : '; TRELLIS_DURABILITY unset (durable) for the loads'}`,
    ...report.http.notes.map((n) => `  NOTE: ${n}`),
  ];
  if (report.shapes) {
    out.push(
      '',
      'Real-world-shaped graphs (DELAY ms 0), submitted one after another; medians of the timed runs',
      table(
        [
          'graph',
          'durability',
          'nodes',
          'edges',
          'levels',
          'widest',
          'runs',
          'POST graph ms',
          'accept ms',
          'to completed ms',
          'ms/level',
          'to end event ms',
          'server ms',
          'events',
        ],
        report.shapes.map((s) => [
          s.name,
          s.durability,
          int(s.nodes),
          int(s.edges),
          `${s.levels}`,
          int(s.widestLevel),
          `${s.runs.filter((r) => !r.warmup).length}`,
          ms(s.median.graphPostMs, 1),
          ms(s.median.acceptMs, 1),
          ms(s.median.submitToCompletedMs, 0),
          ms(s.msPerLevel, 2),
          ms(s.median.submitToEndEventMs, 0),
          ms(s.median.serverMs, 0),
          int(s.median.events),
        ]),
      ),
      "  to completed = POST /graphs/:id/executions sent .. the execution's completedAt; to end event = .. the SSE `end` event read",
      '  server ms = completedAt - createdAt; levels = nodes on the longest dependency chain; widest = nodes at the most populated depth',
    );
  }
  if (report.load && report.load.length > 0) out.push(...renderLoads(report.load));
  return out;
}

function renderLoads(loads: LoadResult[]): string[] {
  const out = [
    '',
    'Open-loop load of the 10-node graph (DELAY ms 0): POST /graphs/:id/executions, latency from when each request was due',
    table(
      [
        'load',
        'rate/s',
        's',
        'sent',
        'accepted/s',
        'finished/s',
        'running at end',
        '201',
        '503',
        '429',
        '500',
        'other',
        'accept p50 ms',
        'accept p99 ms',
        'answer p99 ms',
        'send lag p99',
        'lag max ms',
        'backlog max',
        'lag at end',
        'RSS max MB',
        'RSS end MB',
      ],
      loads.map((l) => {
        const s = l.statuses;
        const other = l.sent - ['201', '503', '429', '500'].reduce((n, k) => n + (s[k] ?? 0), 0);
        return [
          l.kind,
          int(l.spec.rate),
          int(l.spec.seconds),
          int(l.sent),
          ms(l.acceptedPerSec, 1),
          ms(l.finishedPerSec, 1),
          int(l.runningAtEnd),
          int(s['201'] ?? 0),
          int(s['503'] ?? 0),
          int(s['429'] ?? 0),
          int(s['500'] ?? 0),
          int(other),
          ms(l.acceptLatency.p50, 1),
          ms(l.acceptLatency.p99, 1),
          ms(l.answerLatency.p99, 1),
          ms(l.sendLag.p99, 1),
          int(l.journal.maxLagMs),
          int(l.journal.maxBacklog),
          int(l.journal.atEnd?.lagMs),
          mb(l.rss.maxSampledBytes),
          mb(l.rss.atEndBytes),
        ];
      }),
    ),
    '  lag / backlog = GET /stats journal.lagMs / journal.backlog (the same gauges of GET /metrics when /stats fails), sampled every second;',
    '  "lag at end" = the first sample after the last request was sent; x = neither answered',
    '  finished/s = executions the server ended per second during the load (its own count: /stats throughput.executionsEnded); running at end = workers.activeExecutions then',
  ];
  for (const l of loads) {
    const c = l.completion;
    const statsMs = l.samples.map((x) => x.statsMs).sort((a, b) => a - b);
    out.push(
      `  ${l.kind}: ${int(c.accepted)} accepted, ${int(c.unconfirmed503)} 503s naming an unconfirmed execution; store counts at +${c.countsAtDeadline ? ms(c.countsAtDeadline.atMs / 1000, 1) : '-'} s: ` +
        `${JSON.stringify(c.countsAtDeadline?.byStatus ?? null)}; all completed by the counts ` +
        `${c.allCompletedAfterMs === null ? 'never' : `at +${ms(c.allCompletedAfterMs / 1000, 1)} s`} (last counts ${JSON.stringify(c.lastCounts?.byStatus ?? null)})`,
      `    sample of ${int(c.sampled)} read one by one: complete within ${c.settleMs / 1000} s of the end ${int(c.completedInTime)}; ` +
        `later ${int(c.completedLate)}; seen not ended ${int(c.notEnded)}; never read ${int(c.unconfirmed)}; ` +
        `failed/cancelled ${int(c.endedOtherwise)}; last completed ${ms(c.lastCompletedAfterEndMs / 1000, 2)} s after the end`,
      `    reads: ${c.sweeps} sweep(s) until +${ms(c.checkedUntilMs / 1000, 1)} s; GET /executions/:id ` +
        `p50 ${ms(c.readLatency.p50, 0)} / p99 ${ms(c.readLatency.p99, 0)} / max ${ms(c.readLatency.max, 0)} ms (${int(c.readLatency.samples)} reads); errors ${JSON.stringify(c.readErrors)}`,
      l.store
        ? `    GET /stats at +${ms(l.store.atMs / 1000, 1)} s (took ${ms(l.store.tookMs, 0)} ms): store byStatus ${JSON.stringify(l.store.byStatus)}, active in process ${l.store.activeExecutions}`
        : '    GET /stats after the check: no 200 answer within 15 s',
      `    executions running in the server (sampled) first 0 at ${l.drainedAfterS === null ? 'never' : `+${ms(l.drainedAfterS, 1)} s`} after the end of the load`,
      `    answers: ${JSON.stringify(l.statuses)}; errors ${JSON.stringify(l.errors)}; 503/429 without Retry-After: ${l.rejectedWithoutRetryAfter}; ` +
        `server peak RSS (VmHWM) ${mb(l.rss.peakBytes)} MB; GET /stats took p50 ${ms(statsMs[statsMs.length >> 1], 0)} / max ${ms(statsMs.at(-1), 0)} ms`,
      `    journal lag ms per second: ${l.samples.map((x) => (x.lagMs === null ? 'x' : Math.round(x.lagMs))).join(' ')}`,
      `    journal backlog per second: ${l.samples.map((x) => (x.backlog === null ? 'x' : x.backlog)).join(' ')}`,
    );
    if (c.examples.length > 0) out.push(`    e.g. ${c.examples.join(', ')}`);
  }
  return out;
}
