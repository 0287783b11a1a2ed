import { benchLog } from './bench.log';
import { CompletionCheck, checkCompletion } from './completion.check';
import type { HttpConfig, LoadSpec } from './http.config';
import { httpJson } from './http.client';
import { LoadRequest, runOpenLoop } from './load.generator';
import { Distribution, distribution } from './percentiles';
import { smallPipeline } from './real-world.graphs';
import { ServerSample, ServerSampler } from './server.sampler';
import type { TrellisServerProcess } from './trellis-server.process';

/** How long to keep asking GET /stats for the store's counts after the completion check. */
const STATS_PATIENCE_MS = 15_000;

/** What GET /stats said once the completion check was over. */
export interface StoreCounts {
  /** ms after the end of the load. */
  atMs: number;
  byStatus: Record<string, number>;
  total: number;
  /** Executions running in the server process. */
  activeExecutions: number;
  /** How long GET /stats took, in ms. */
  tookMs: number;
}

/** What one open-loop load did to the server. */
export interface LoadResult {
  /** `sustained` (judged against the targets) or `overload` (beyond capacity). */
  kind: 'sustained' | 'overload';
  spec: LoadSpec;
  senders: number;
  graph: { name: string; nodes: number; edges: number };
  sent: number;
  /** 201 answers per second of load (from the first due request to the last sent). */
  acceptedPerSec: number;
  /** Answers by status: `201`, `503`, `429`, `500`, ...; `0` is no answer (error or timeout). */
  statuses: Record<string, number>;
  /** 503 and 429 answers without a Retry-After header. */
  rejectedWithoutRetryAfter: number;
  /** Error codes of the non-201 answers. */
  errors: Record<string, number>;
  /** Due-to-answer latency of the 201 answers, and of every answer, in ms. */
  acceptLatency: Distribution;
  answerLatency: Distribution;
  /** How late the client sent requests (its own health), in ms. */
  sendLag: Distribution;
  /** Journal lag and backlog sampled every second from the start of the load to the end of the check. */
  samples: ServerSample[];
  journal: { maxLagMs: number; maxBacklog: number; atEnd: ServerSample | null };
  /** RSS of the server: highest sample, at the end of the load, and the kernel's peak (VmHWM). */
  rss: { maxSampledBytes: number; atEndBytes: number | null; peakBytes: number | null };
  completion: CompletionCheck;
  /** When the sampled count of executions running in the server first read 0 after the load, s after its end. */
  drainedAfterS: number | null;
  /**
   * Executions the server ended per second while the load ran, by its own count at the last
   * sample of the load. Null without samples.
   */
  finishedPerSec: number | null;
  /** Executions running in the server at the last sample of the load. */
  runningAtEnd: number | null;
  /** GET /stats right after the completion check: counts in the store, and runs in the process. */
  store: StoreCounts | null;
  /** Seconds the load took to send, and until its last answer. */
  durationS: number;
  answeredS: number;
}

/**
 * Stores the 10-node graph, starts executions of it open-loop at `spec.rate` per second for
 * `spec.seconds` while sampling GET /stats and the server's RSS every second, then checks that
 * every accepted execution completed within `config.settleMs` of the end of the load.
 * @throws Error when the graph cannot be stored.
 */
export async function runLoad(
  server: TrellisServerProcess,
  kind: LoadResult['kind'],
  spec: LoadSpec,
  config: HttpConfig,
): Promise<LoadResult> {
  const graph = smallPipeline();
  const created = await httpJson(`${server.url}/graphs`, { body: graph.definition });
  if (created.status !== 201) throw new Error(`POST /graphs answered ${created.status}`);
  benchLog(`${kind} load: ${spec.rate}/s for ${spec.seconds} s, ${config.senders} senders`);
  const sampler = new ServerSampler(server, config.sampleEveryMs);
  sampler.start();
  const run = await runOpenLoop(
    server.url,
    created.body.id,
    spec,
    config.senders,
    config.requestTimeoutMs,
  );
  const atEndRss = server.memory()?.rssBytes ?? null;
  const ids = run.requests.filter((r) => r.executionId).map((r) => r.executionId!);
  benchLog(`${kind} load: ${ids.length} of ${run.requests.length} accepted; checking completion`);
  const completion = await checkCompletion(
    server.url,
    ids,
    run.requests.filter((r) => r.unconfirmedId).length,
    run.endedAt,
    config.settleMs,
    config.checkExtraMs,
  );
  const samples = await sampler.stop();
  const store = await storeCounts(server.url, run.endedAt);
  const loadS = (run.endedAt - run.startedAt) / 1000;
  const during = samples.filter((s) => s.t <= (run.answeredAt - run.startedAt) / 1000);
  const atEnd = samples.find((s) => s.t >= loadS) ?? samples.at(-1) ?? null;
  return {
    kind,
    spec,
    senders: config.senders,
    graph: { name: graph.name, nodes: graph.nodes, edges: graph.edges },
    sent: run.requests.length,
    acceptedPerSec: ids.length / loadS,
    ...tally(run.requests),
    acceptLatency: latencies(run.requests.filter((r) => r.status === 201)),
    answerLatency: latencies(run.requests),
    sendLag: distribution(Float64Array.from(run.requests, (r) => r.sendLagMs)),
    samples,
    journal: {
      maxLagMs: Math.max(0, ...during.map((s) => s.lagMs ?? 0)),
      maxBacklog: Math.max(0, ...during.map((s) => s.backlog ?? 0)),
      atEnd,
    },
    rss: {
      maxSampledBytes: Math.max(0, ...samples.map((s) => s.rssBytes ?? 0)),
      atEndBytes: atEndRss,
      peakBytes: server.memory()?.peakRssBytes ?? null,
    },
    completion,
    drainedAfterS: drainedAfter(samples, loadS),
    ...throughputOf(samples, loadS),
    store,
    durationS: loadS,
    answeredS: (run.answeredAt - run.startedAt) / 1000,
  };
}

/** GET /stats, again every second until it answers 200 or `STATS_PATIENCE_MS` passed. */
async function storeCounts(url: string, endedAt: number): Promise<StoreCounts | null> {
  const giveUp = Date.now() + STATS_PATIENCE_MS;
  while (Date.now() < giveUp) {
    const t0 = performance.now();
    const stats = await httpJson(`${url}/stats`, { timeoutMs: STATS_PATIENCE_MS }).catch(
      () => null,
    );
    if (stats?.status === 200) {
      return {
        atMs: Date.now() - endedAt,
        byStatus: stats.body.executions.byStatus,
        total: stats.body.executions.total,
        activeExecutions: stats.body.workers.activeExecutions,
        tookMs: performance.now() - t0,
      };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return null;
}

function throughputOf(samples: ServerSample[], loadS: number) {
  const last = samples.filter((s) => s.t <= loadS && s.executionsEnded !== null).at(-1);
  if (!last || last.t < 1) return { finishedPerSec: null, runningAtEnd: null };
  // NOTE: /stats counts the last 60 s, /metrics since the start: the server is fresh, so both
  // count the load's executions while it is younger than 60 s.
  const window = last.source === 'stats' ? Math.min(60, last.t) : last.t;
  return {
    finishedPerSec: last.executionsEnded! / window,
    runningAtEnd: last.activeExecutions,
  };
}

function drainedAfter(samples: ServerSample[], loadS: number): number | null {
  const drained = samples.find((s) => s.t >= loadS && s.activeExecutions === 0);
  return drained ? drained.t - loadS : null;
}

function latencies(requests: LoadRequest[]): Distribution {
  return distribution(Float64Array.from(requests, (r) => r.latencyMs));
}

function tally(requests: LoadRequest[]) {
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let rejectedWithoutRetryAfter = 0;
  for (const r of requests) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
    if ((r.status === 503 || r.status === 429) && !r.retryAfter) rejectedWithoutRetryAfter++;
  }
  return { statuses, errors, rejectedWithoutRetryAfter };
}
