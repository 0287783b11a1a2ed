import { httpJson } from './http.client';
import { Distribution, distribution } from './percentiles';

/** Reads of GET /executions/:id in flight at once while checking. */
const CHECK_CONCURRENCY = 8;
/** A read without an answer after this long counts as failed (the server's own store timeout is 10 s). */
const READ_TIMEOUT_MS = 15_000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Whether the executions a load started finished, judged by their own completedAt. */
export interface CompletionCheck {
  accepted: number;
  /** The window judged: completedAt at most this long after the end of the load. */
  settleMs: number;
  /** Completed with completedAt at most `settleMs` after the end of the load. */
  completedInTime: number;
  /** Completed, but later than that. */
  completedLate: number;
  /** Ended failed or cancelled. */
  endedOtherwise: number;
  /** Read as pending or running at the last successful read. */
  notEnded: number;
  /** Never read successfully (every read failed or timed out, or none was made in time). */
  unconfirmed: number;
  /** Latest completedAt minus the end of the load, in ms (NaN when none completed). */
  lastCompletedAfterEndMs: number;
  /** Sweeps over the ids not yet seen ended. */
  sweeps: number;
  /** When the checking stopped, ms after the end of the load. */
  checkedUntilMs: number;
  /** Duration of each GET /executions/:id, in ms. */
  readLatency: Distribution;
  /** GET answers other than 200 (and network errors or timeouts), by kind. */
  readErrors: Record<string, number>;
  /** A few ids not seen completed, to look into. */
  examples: string[];
}

type Seen = { status: string; completedAt: number };

/**
 * Checks each id with GET /executions/:id (8 at a time), sweeping again over those not yet
 * seen ended, until every one has ended or `endedAt + settleMs + extraMs` has passed (no read
 * starts after that). An execution counts as complete in time when it is completed and its
 * completedAt is within `settleMs` of `endedAt` (the server and the benchmark share this
 * machine's clock), however long the reads took; `extraMs` only serves to see when late ones end.
 */
export async function checkCompletion(
  url: string,
  ids: string[],
  endedAt: number,
  settleMs: number,
  extraMs: number,
): Promise<CompletionCheck> {
  const deadline = endedAt + settleMs;
  const stopAt = deadline + extraMs;
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
  const verdict = tallySeen(seen, endedAt, deadline);
  return {
    accepted: ids.length,
    settleMs,
    ...verdict,
    notEnded: pending.filter((id) => lastRead.has(id)).length,
    unconfirmed: pending.filter((id) => !lastRead.has(id)).length,
    sweeps,
    checkedUntilMs: Date.now() - endedAt,
    readLatency: distribution(Float64Array.from(readMs)),
    readErrors,
    examples: [...pending.slice(0, 5).map((id) => `${id} ${lastRead.get(id) ?? 'unread'}`)],
  };
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
