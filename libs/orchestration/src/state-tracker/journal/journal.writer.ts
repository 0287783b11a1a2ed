import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { StoreUnavailableError } from '../../errors';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { EXECUTION_STORE, ExecutionOutcome, ExecutionStore } from '../execution-store.interface';
import { ExecutionView, PageInFlight } from '../execution-view';
import { InstanceIdentity } from '../instance-identity';
import { StateChangeEvent } from '../state-change.event';
import { ExecutionStatus } from '../status.enum';
import { StoreHealth } from '../store-health';
import { JournalEntry } from './journal-entry.interface';
import { PageAppendResult } from './journal-page.interface';

/** A page the store would not take: the execution is lost to this process. */
export interface JournalLoss {
  executionId: string;
  /** `conflict`: another instance owns it now. `rejected`: the store refused the page for good. */
  kind: 'conflict' | 'rejected';
  message: string;
}

/**
 * Where to cut `view.pending` near `count` so that no group (see `StateTracker.together`) is
 * split: before the group the cut falls in, or after it when the group starts the page (a group
 * then goes whole, over the page limits: an action's entries are bounded by its graph).
 */
function cutOutsideGroups(view: ExecutionView, count: number): number {
  const first = view.pending[0].seq;
  const cut = view.pending[count - 1].seq;
  const group = view.groups.find((g) => g.from <= cut && cut < g.to);
  if (!group) return count;
  if (group.from > first) return group.from - first;
  return Math.min(view.pending.length, group.to - first + 1);
}

/** Entries per page at most; a tick's entries beyond it (or beyond `maxPageBytes`) go in the next page. */
const MAX_PAGE_ENTRIES = 50_000;
/** Commits in a row done in microtasks before one waits for the event loop (embedded store). */
const MICROTASK_COMMITS = 256;
/** Backoff after a failed write: first and largest delay. */
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 2000;

/**
 * Writes the journals of the executions active in this process (group commit). Each tick, every
 * execution with new entries and no page in flight gets one page, and all those pages go to
 * the store in one call. A page's key is its execution and page number, so a page that another
 * instance wrote first is refused (`conflict`): ownership is lost and nothing more is written
 * for that execution. A store that cannot be reached is retried with backoff, the same pages
 * again, so nothing accepted is lost; what waits on a page (node launches, events, barriers)
 * runs only once the page is stored.
 */
@Injectable()
export class JournalWriter implements OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');
  private readonly unwritten = new Set<ExecutionView>();
  private scheduled = false;
  private microtaskCommits = 0;
  private backoffMs = 0;
  private retryTimer?: NodeJS.Timeout;
  private readonly outcomes: ExecutionOutcome[] = [];
  /** The outcome writes in progress, one after the other. */
  private outcomeWrites: Promise<void> = Promise.resolve();
  /** The outcome write that waits for the one in progress, if any. */
  private outcomeWaiting?: Promise<void>;
  private outcomeRetry?: NodeJS.Timeout;
  private readonly lossesSubject = new Subject<JournalLoss>();
  private readonly eventsSubject = new Subject<StateChangeEvent>();
  private stopped = false;

  /** Executions this process can no longer write. */
  readonly losses$: Observable<JournalLoss> = this.lossesSubject.asObservable();
  /** Events of stored entries, in journal order per execution. */
  readonly events$: Observable<StateChangeEvent> = this.eventsSubject.asObservable();

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
    private readonly identity: InstanceIdentity,
    private readonly health: StoreHealth,
  ) {}

  /** Whether anybody listens to `events$` (events are built only then). */
  get observed(): boolean {
    return this.eventsSubject.observed;
  }

  /** Entries made but not yet stored, over all executions. */
  get backlog(): number {
    let n = 0;
    for (const view of this.unwritten)
      n += view.pending.length + (view.inFlight?.page.entries.length ?? 0);
    return n;
  }

  /** Age of the oldest entry not yet stored, in ms (0 when everything is stored). */
  lagMs(now = Date.now()): number {
    let oldest = 0;
    for (const view of this.unwritten) {
      const at = view.inFlight?.page.at.getTime() ?? view.oldestPendingAt;
      if (at && (oldest === 0 || at < oldest)) oldest = at;
    }
    return oldest === 0 ? 0 : now - oldest;
  }

  /** Queues an entry of `view`; it is written with the next page. */
  append(view: ExecutionView, entry: JournalEntry, bytes: number, event?: StateChangeEvent): void {
    if (view.lost) return;
    if (view.pending.length === 0) view.oldestPendingAt = Date.now();
    view.pending.push(entry);
    view.pendingBytes += bytes;
    if (event) (view.pendingEvents ??= []).push(event);
    if (!this.unwritten.has(view)) this.unwritten.add(view);
    this.schedule();
  }

  /** Runs `fn` once every entry of `view` made so far is stored; never if it is lost first. */
  afterStored(view: ExecutionView, fn: () => void): void {
    if (view.lost) return;
    if (view.pending.length > 0) view.launches.push(fn);
    else if (view.inFlight) view.inFlight.launches.push(fn);
    else queueMicrotask(fn);
  }

  /** Resolves once every entry of `view` made so far is stored, or the execution is lost. */
  whenStored(view: ExecutionView): Promise<void> {
    if (view.lost || !view.unwritten) return Promise.resolve();
    return new Promise((resolve) => {
      if (view.pending.length > 0) view.barriers.push(resolve);
      else view.inFlight!.barriers.push(resolve);
    });
  }

  /**
   * Resolves once the list outcomes of every page stored so far are written (or failed once: they
   * are retried in the background). Lists agree with the journal after it.
   */
  outcomesWritten(): Promise<void> {
    return this.outcomes.length > 0 ? this.writeOutcomes() : this.outcomeWrites;
  }

  /** Resolves once every entry made before the call, of every execution, is stored (or lost). */
  async flush(): Promise<void> {
    await Promise.all([...this.unwritten].map((view) => this.whenStored(view)));
  }

  /** Forgets what is not written of `view` (it is lost or abandoned); waiters are released. */
  discard(view: ExecutionView): void {
    view.lost = true;
    const barriers = [...view.barriers, ...(view.inFlight?.barriers ?? [])];
    view.pending = [];
    view.pendingEvents = null;
    view.launches = [];
    view.barriers = [];
    if (!view.inFlight?.sending) {
      view.inFlight = null;
      this.unwritten.delete(view);
    }
    for (const resolve of barriers) resolve();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.outcomeRetry);
  }

  private schedule(): void {
    if (this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    // NOTE: the embedded store writes without I/O, so its commits run in microtasks (no 1 ms
    // timer floor between a node and its dependents); every MICROTASK_COMMITS it lets I/O in.
    if (this.store.synchronous && ++this.microtaskCommits < MICROTASK_COMMITS) {
      queueMicrotask(() => this.tick());
    } else {
      this.microtaskCommits = 0;
      setImmediate(() => this.tick());
    }
  }

  private tick(): void {
    this.scheduled = false;
    if (this.stopped && this.unwritten.size === 0) return;
    const batch: ExecutionView[] = [];
    for (const view of this.unwritten) {
      if (view.inFlight?.sending) continue;
      if (!view.inFlight) {
        if (view.pending.length === 0) continue;
        view.inFlight = this.takePage(view);
      }
      view.inFlight.sending = true;
      batch.push(view);
    }
    if (batch.length > 0) void this.write(batch);
  }

  private takePage(view: ExecutionView): PageInFlight {
    let count = view.pending.length;
    if (view.pendingBytes > this.options.maxPageBytes || count > MAX_PAGE_ENTRIES) {
      count = Math.min(
        count,
        MAX_PAGE_ENTRIES,
        Math.max(1, Math.floor((count * this.options.maxPageBytes) / view.pendingBytes)),
      );
    }
    if (count < view.pending.length) count = cutOutsideGroups(view, count);
    const entries = count === view.pending.length ? view.pending : view.pending.splice(0, count);
    if (view.groups.length > 0) {
      const last = entries[entries.length - 1].seq;
      view.groups = view.groups.filter((g) => g.to > last);
    }
    const rest = entries === view.pending;
    const events = view.pendingEvents;
    const inFlight: PageInFlight = {
      page: {
        executionId: view.id,
        page: view.nextPage,
        writer: this.identity.incarnation,
        at: new Date(view.oldestPendingAt || Date.now()),
        entries,
      },
      events: rest ? events : takeEvents(view, entries[entries.length - 1].seq),
      launches: rest ? view.launches : [],
      barriers: rest ? view.barriers : [],
      sending: false,
    };
    if (rest) {
      view.pending = [];
      view.pendingBytes = 0;
      view.pendingEvents = null;
      view.launches = [];
      view.barriers = [];
      view.oldestPendingAt = 0;
    } else {
      view.pendingBytes = Math.max(0, view.pendingBytes - this.options.maxPageBytes);
      view.oldestPendingAt = Date.now();
    }
    return inFlight;
  }

  private async write(batch: ExecutionView[]): Promise<void> {
    let results: PageAppendResult[];
    try {
      results = await this.withTimeout(this.store.appendPages(batch.map((v) => v.inFlight!.page)));
    } catch (error) {
      // NOTE: a slow write is retried; only a store that cannot be reached marks it down.
      if (!(error instanceof WriteTimeout)) this.health.failed(error);
      for (const view of batch) {
        if (view.inFlight) view.inFlight.sending = false;
        if (view.lost) this.finishLost(view);
      }
      this.retryLater(error);
      return;
    }
    this.health.succeeded();
    this.backoffMs = 0;
    const barriers: (() => void)[] = [];
    for (let i = 0; i < batch.length; i++) {
      const view = batch[i];
      const result = results[i];
      if (view.lost) this.finishLost(view);
      else if (result.status === 'stored') this.stored(view, barriers);
      else this.lose(view, result);
    }
    this.scheduleIfPending();
    for (const resolve of barriers) resolve();
    if (this.outcomes.length > 0) void this.writeOutcomes();
  }

  private stored(view: ExecutionView, barriers: (() => void)[]): void {
    const done = view.inFlight!;
    view.inFlight = null;
    view.nextPage = done.page.page + 1;
    if (view.stored) {
      view.stored.applyPage(done.page);
      // NOTE: an execution that ended gets a checkpoint too, so reading it costs two lookups.
      if ((done.page.page + 1) % this.store.checkpointEvery === 0 || view.stored.ended) {
        const checkpoint = view.stored.checkpoint();
        this.store
          .saveCheckpoint(checkpoint)
          .catch((error: Error) =>
            this.logger.warn(`Checkpoint of ${view.id} not written: ${error.message}`),
          );
      }
    }
    for (const entry of done.page.entries) {
      if (entry.kind === 'execution' && entry.to !== ExecutionStatus.PENDING) {
        this.outcomes.push({
          executionId: view.id,
          seq: entry.seq,
          status: entry.to,
          at: entry.at,
          error: entry.set?.error ?? null,
        });
      }
    }
    if (view.pending.length === 0) this.unwritten.delete(view);
    if (done.events) for (const event of done.events) this.eventsSubject.next(event);
    barriers.push(...done.barriers);
    for (const launch of done.launches) launch();
  }

  private lose(view: ExecutionView, result: Exclude<PageAppendResult, { status: 'stored' }>): void {
    const message =
      result.status === 'conflict'
        ? `page ${view.inFlight!.page.page} of its journal was written by another instance`
        : result.message;
    this.logger.error(`Execution ${view.id}: ${message}; this instance stops writing it`);
    view.inFlight!.sending = false;
    this.discard(view);
    this.finishLost(view);
    this.lossesSubject.next({ executionId: view.id, kind: result.status, message });
  }

  private finishLost(view: ExecutionView): void {
    const barriers = view.inFlight?.barriers ?? [];
    view.inFlight = null;
    this.unwritten.delete(view);
    for (const resolve of barriers) resolve();
  }

  private retryLater(error: unknown): void {
    this.backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, this.backoffMs * 2));
    this.logger.warn(
      `Writing ${this.unwritten.size} journal(s) failed; retrying in ${this.backoffMs} ms: ${(error as Error).message}`,
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.schedule();
    }, this.backoffMs);
    this.retryTimer.unref();
  }

  private scheduleIfPending(): void {
    for (const view of this.unwritten) {
      if (!view.inFlight?.sending && (view.inFlight || view.pending.length > 0)) {
        this.schedule();
        return;
      }
    }
  }

  /**
   * Writes the outcomes queued so far, after the write in progress; resolves when done (or
   * failed). At most one write runs and one waits: the waiting one takes everything queued by
   * the time it starts, so a store slower than the flushes gets fewer, larger inserts.
   */
  private writeOutcomes(): Promise<void> {
    if (this.outcomeWaiting) return this.outcomeWaiting;
    const waiting = this.outcomeWrites.then(async () => {
      this.outcomeWaiting = undefined;
      const outcomes = this.outcomes.splice(0);
      if (outcomes.length === 0) return;
      try {
        await this.withTimeout(this.store.recordOutcomes(outcomes));
      } catch (error) {
        // NOTE: outcomes only feed lists: they are tried again a second later.
        this.outcomes.unshift(...outcomes);
        this.logger.warn(`Execution outcomes not written yet: ${(error as Error).message}`);
        clearTimeout(this.outcomeRetry);
        this.outcomeRetry = setTimeout(() => void this.writeOutcomes(), 1000);
        this.outcomeRetry.unref();
      }
    });
    this.outcomeWaiting = waiting;
    this.outcomeWrites = waiting;
    return waiting;
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new WriteTimeout(this.options.storeWriteTimeoutMs)),
          this.options.storeWriteTimeoutMs,
        );
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
  }
}

/** Takes the pending events up to `seq` (a page split in two). */
function takeEvents(view: ExecutionView, seq: number): StateChangeEvent[] | null {
  if (!view.pendingEvents) return null;
  const cut = view.pendingEvents.findIndex((e) => e.seq > seq);
  return cut < 0 ? view.pendingEvents.splice(0) : view.pendingEvents.splice(0, cut);
}

/** A journal write that did not answer in time (retried; the store is not taken for down). */
class WriteTimeout extends StoreUnavailableError {
  constructor(ms: number) {
    super(`no answer to a journal write within ${ms} ms`, { retryAfterMs: 1000 });
  }
}
