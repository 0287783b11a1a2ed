import { httpJson } from './http.client';
import { Distribution, distribution } from './percentiles';

/** Reads of GET /executions/:id in flight at once while checking. */
const CHECK_CONCURRENCY = 8;
/** A read without an answer after this long counts as failed (the server's own store timeout is 10 s). */
const READ_TIMEOUT_MS = 15_000;
/** Ids read one by one (a random sample; all of them when fewer). */
const READ_SAMPLE = 100;
/** How long the reads of the sample may go on once the counts are settled. */
const READ_BUDGET_MS = 60_000;
/** How often the store's counts are asked for. */
const COUNT_EVERY_MS = 1000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** The store's counts by status, as GET /stats gave them. */
export interface CountSample {
  /** When the answer came, ms after the end of the load. */
  atMs: number;
  byStatus: Record<string, number>;
  total: number;
}

/**
 * Whether the executions a load started finished: all of them by the store's own counts
 * (GET /stats, which counts every execution stored), and a random sample of them one by one by
 * their completedAt (GET /executions/:id).
 */
export interface CompletionCheck {
  accepted: number;
  /** 503 answers that named an execution the store had not confirmed: each may exist, and run. */
  unconfirmed503: number;
  /** The window judged: completed at most this long after the end of the load. */
  settleMs: number;
  /** The last counts read at most `settleMs` after the end of the load. */
  countsAtDeadline: CountSample | null;
  /** The last counts read. */
  lastCounts: CountSample | null;
  /** When the counts first said every accepted execution completed, ms after the end (null: never). */
  allCompletedAfterMs: number | null;
  /** Ids read one by one. */
  sampled: number;
  /** Of the sample: completed with completedAt at most `settleMs` after the end of the load. */
  completedInTime: number;
  /** Of the sample: completed, but later than that. */
  completedLate: number;
  /** Of the sample: ended failed or cancelled. */
  endedOtherwise: number;
  /** Of the sample: read as pending or running at the last successful read. */
  notEnded: number;
  /** Of the sample: never read successfully (every read failed or timed out). */
  unconfirmed: number;
  /** Latest completedAt in the sample minus the end of the load, in ms (NaN when none completed). */
  lastCompletedAfterEndMs: number;
  /** Sweeps over the sampled ids not yet seen ended. */
  sweeps: number;
  /** When the checking stopped, ms after the end of the load. */
  checkedUntilMs: number;
  /** Duration of each GET /executions/:id, in ms. */
  readLatency: Distribution;
  /** GET answers other than 200 (and network errors or timeouts), by kind. */
  readErrors: Record<string, number>;
  /** A few sampled ids not seen completed, to look into. */
  examples: string[];
}

type Seen = { status: string; completedAt: number };

/**
 * Asks GET /stats every second until the store counts every accepted execution completed and
 * none still pending or running (or
 * `endedAt + settleMs + extraMs` passed), then reads a random sample of the ids with GET
 * /executions/:id (8 at a time, sweeping again over those not yet ended). The store's counts
 * cover every execution; reading each of thousands of ids would take minutes on a
 * MongoDB-wire server that scans for a lookup, so the reads check a sample by completedAt
 * (the server and the benchmark share this machine's clock).
 */
export async function checkCompletion(
  url: string,
  ids: string[],
  unconfirmed503: number,
  endedAt: number,
  settleMs: number,
  extraMs: number,
): Promise<CompletionCheck> {
  const deadline = endedAt + settleMs;
  const counts = await watchCounts(url, ids.length, endedAt, deadline, deadline + extraMs);
  const sample = sampleOf(ids, READ_SAMPLE);
  const reads = await readEach(url, sample, Date.now() + READ_BUDGET_MS);
  return {
    accepted: ids.length,
    unconfirmed503,
    settleMs,
    ...counts,
    sampled: sample.length,
    ...tallySeen(reads.seen, endedAt, deadline),
    notEnded: reads.pending.filter((id) => reads.lastRead.has(id)).length,
    unconfirmed: reads.pending.filter((id) => !reads.lastRead.has(id)).length,
    sweeps: reads.sweeps,
    checkedUntilMs: Date.now() - endedAt,
    readLatency: distribution(Float64Array.from(reads.readMs)),
    readErrors: reads.readErrors,
    examples: reads.pending.slice(0, 5).map((id) => `${id} ${reads.lastRead.get(id) ?? 'unread'}`),
  };
}

async function watchCounts(
  url: string,
  accepted: number,
  endedAt: number,
  deadline: number,
  stopAt: number,
): Promise<Pick<CompletionCheck, 'countsAtDeadline' | 'lastCounts' | 'allCompletedAfterMs'>> {
  let countsAtDeadline: CountSample | null = null;
  let lastCounts: CountSample | null = null;
  while (Date.now() < stopAt) {
    const asked = Date.now();
    const stats = await httpJson(`${url}/stats`, { timeoutMs: READ_TIMEOUT_MS }).catch(() => null);
    if (stats?.status === 200) {
      const at = Date.now();
      lastCounts = {
        atMs: at - endedAt,
        byStatus: stats.body.executions.byStatus,
        total: stats.body.executions.total,
      };
      if (at <= deadline) countsAtDeadline = lastCounts;
      const completed = lastCounts.byStatus.completed ?? 0;
      if (completed >= accepted && completed === lastCounts.total) {
        return { countsAtDeadline, lastCounts, allCompletedAfterMs: lastCounts.atMs };
      }
    }
    await new Promise((r) => setTimeout(r, Math.max(0, asked + COUNT_EVERY_MS - Date.now())));
  }
  return { countsAtDeadline, lastCounts, allCompletedAfterMs: null };
}

/** Reads each id until it is seen ended or `stopAt` passed. */
async function readEach(url: string, ids: string[], stopAt: number) {
  const seen = new Map<string, Seen>();
  const lastRead = new Map<string, string>();
  const readErrors: Record<string, number> = {};
  const readMs: number[] = [];
  let pending = [...ids];
  let sweeps = 0;
  while (pending.length > 0 && Date.now() < stopAt) {
    sweeps++;
    const next: string[] = [];
    let cursor = 0;
    const worker = async () => {
      while (cursor < pending.length) {
        const id = pending[cursor++];
        if (Date.now() >= stopAt) {
          next.push(id);
          continue;
        }
        const t0 = performance.now();
        const found = await read(url, id);
        readMs.push(performance.now() - t0);
        if (typeof found === 'string') readErrors[found] = (readErrors[found] ?? 0) + 1;
        else lastRead.set(id, found.status);
        if (typeof found === 'object' && TERMINAL.has(found.status)) seen.set(id, found);
        else next.push(id);
      }
    };
    await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
    pending = next;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return { seen, lastRead, readErrors, readMs, pending, sweeps };
}

/** Up to `n` of `ids`, picked at random (all of them when there are no more). */
function sampleOf(ids: string[], n: number): string[] {
  if (ids.length <= n) return [...ids];
  const pool = [...ids];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

function tallySeen(seen: Map<string, Seen>, endedAt: number, deadline: number) {
  let completedInTime = 0;
  let completedLate = 0;
  let endedOtherwise = 0;
  let lastCompletedAfterEndMs = Number.NaN;
  for (const { status, completedAt } of seen.values()) {
    if (status !== 'completed') {
      endedOtherwise++;
      continue;
    }
    if (completedAt <= deadline) completedInTime++;
    else completedLate++;
    const after = completedAt - endedAt;
    lastCompletedAfterEndMs = Number.isNaN(lastCompletedAfterEndMs)
      ? after
      : Math.max(lastCompletedAfterEndMs, after);
  }
  return { completedInTime, completedLate, endedOtherwise, lastCompletedAfterEndMs };
}

/** The status and completedAt of one execution, or why it could not be read. */
async function read(url: string, id: string): Promise<Seen | string> {
  try {
    const answer = await httpJson(`${url}/executions/${id}`, { timeoutMs: READ_TIMEOUT_MS });
    if (answer.status !== 200) return `HTTP ${answer.status}`;
    const body = answer.body as { status: string; completedAt: string | null };
    return {
      status: body.status,
      completedAt: body.completedAt ? Date.parse(body.completedAt) : 0,
    };
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'timeout' : 'network error';
  }
}
