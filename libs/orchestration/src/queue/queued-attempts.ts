import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, JobsOptions, Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { NodeExecutionError } from '../errors';
import { NodeContext } from '../node-runner/node-context.interface';
import { AttemptOutcome } from '../node-runner/strategies/execution-strategy.interface';
import { NodeQueuePort, PoolStats } from '../node-runner/strategies/node-queue.port';
import { ResolvedQueueOptions } from './queue-options.interface';
import { NodeJobData, NodeJobResult, executionOfJob, nodeJobId } from './node-job';
import { cancelChannel, redisConnection } from './redis-connection';

/** One QUEUED attempt this engine waits for. */
interface PendingAttempt {
  jobId: string;
  pool: string;
  data: NodeJobData;
  opts: JobsOptions;
  resolve(outcome: AttemptOutcome): void;
  reject(error: NodeExecutionError): void;
  /** Whether the job is known to be in Redis (its add returned). */
  added: boolean;
  /** Whether it waits in its pool's next `addBulk`. */
  adding: boolean;
  /** Whether a worker took it (`active` seen). */
  active: boolean;
  /** Last time anything was heard of it (submit, add, active), ms. */
  heardAt: number;
  scheduleTimer?: NodeJS.Timeout;
}

/** The queue and event stream of one pool. */
interface PoolChannel {
  queue: Queue<NodeJobData, NodeJobResult>;
  events: QueueEvents;
  toAdd: PendingAttempt[];
}

/** Job ids kept in `superseded` and in `delivered` each, the oldest dropped first. */
const JOB_IDS_KEPT = 10_000;
const STATS_TIMEOUT_MS = 500;
const EVENTS_LOOKBACK_MS = 60_000;

/**
 * The engine's side of the QUEUED strategy, on BullMQ: an attempt becomes a job in its pool's
 * queue (`trellis` prefix, queue name = pool) and its outcome comes back as the job's return
 * value through the pool's `QueueEvents` stream (a blocking read: no polling on the path from a
 * worker's completion to the engine's record of it). Jobs added in one tick go in one `addBulk`.
 *
 * Redis is not the source of truth: the engine keeps every attempt it waits for, and a reconcile
 * every `reconcileMs` (and after a reconnect) re-adds those Redis lost (restart without
 * persistence, FLUSHALL: a sentinel key tells), fetches the results of those whose events were
 * missed, and re-checks attempts not heard of for `stuckAfterMs`. A result that names an attempt
 * this engine no longer waits for (superseded: cancelled, timed out, taken over) is refused and
 * counted (`staleResults`).
 */
export class QueuedAttempts implements NodeQueuePort, OnModuleDestroy {
  private readonly logger = new Logger('TrellisQueue');
  private readonly redis: IORedis;
  private readonly pools = new Map<string, PoolChannel>();
  private readonly pending = new Map<string, PendingAttempt>();
  /** Executions with attempts pending here: a result for another attempt of one is stale. */
  private readonly pendingByExecution = new Map<string, number>();
  private readonly superseded = new Set<string>();
  /** Attempts whose result was delivered lately: a second copy of it is not stale. */
  private readonly delivered = new Set<string>();
  private readonly sentinelKey: string;
  private reconcileTimer?: NodeJS.Timeout;
  private reconciling = false;
  private lostConnection = false;
  private closed = false;
  private counters = { submitted: 0, completed: 0, failed: 0, staleResults: 0, reAdded: 0 };

  constructor(
    private readonly options: ResolvedQueueOptions,
    instanceId: string,
  ) {
    this.redis = redisConnection(options.redisUrl);
    this.sentinelKey = `${options.prefix}:engine-sentinel:${instanceId}`;
    this.redis.on('close', () => (this.lostConnection = true));
    this.redis.on('ready', () => {
      if (!this.lostConnection) return;
      this.lostConnection = false;
      void this.reconcile(true);
    });
    this.redis.on('error', () => undefined);
    void this.redis.set(this.sentinelKey, '1').catch(() => undefined);
    this.reconcileTimer = setInterval(() => void this.reconcile(false), options.reconcileMs);
    this.reconcileTimer.unref();
  }

  /** Sends the attempt to its pool; settles with its outcome, or rejects when `signal` aborts. */
  submit(context: NodeContext, timeoutMs: number): Promise<AttemptOutcome> {
    const node = context.node;
    const pool = node.queue?.pool ?? this.options.defaultPool;
    const jobId = nodeJobId(context.executionId, context.fencingToken);
    const data: NodeJobData = {
      executionId: context.executionId,
      graphId: context.graphId,
      node,
      attempt: context.attempt,
      fencingToken: context.fencingToken,
      input: context.input,
      upstream: context.upstream,
      completedDependencies: context.completedDependencies,
      timeoutMs,
    };
    const opts: JobsOptions = {
      jobId,
      attempts: 1,
      priority: node.queue?.priority,
      removeOnComplete: { age: this.options.keepFinishedS },
      removeOnFail: { age: this.options.keepFinishedS },
    };
    return new Promise<AttemptOutcome>((resolve, reject) => {
      const entry: PendingAttempt = {
        jobId,
        pool,
        data,
        opts,
        resolve,
        reject,
        added: false,
        adding: false,
        active: false,
        heardAt: Date.now(),
      };
      this.track(entry);
      const scheduleToStart =
        node.queue?.scheduleToStartTimeoutMs ?? this.options.scheduleToStartTimeoutMs;
      if (scheduleToStart > 0) {
        entry.scheduleTimer = setTimeout(
          () => void this.notStarted(entry, scheduleToStart),
          scheduleToStart,
        );
        entry.scheduleTimer.unref();
      }
      context.signal.addEventListener('abort', () => this.abandon(entry, context.signal.reason), {
        once: true,
      });
      this.enqueue(entry);
    });
  }

  /**
   * Per pool: jobs waiting, running, delayed; workers connected; attempts waited for here.
   * @throws Error when Redis does not answer within `STATS_TIMEOUT_MS`.
   */
  stats(): Promise<PoolStats[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${STATS_TIMEOUT_MS} ms`)),
        STATS_TIMEOUT_MS,
      );
    });
    return Promise.race([this.poolStats(), timeout]).finally(() => clearTimeout(timer));
  }

  private async poolStats(): Promise<PoolStats[]> {
    const out: PoolStats[] = [];
    for (const [name, channel] of this.pools) {
      const [counts, workers] = await Promise.all([
        channel.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
        channel.queue.getWorkersCount(),
      ]);
      let outstanding = 0;
      for (const entry of this.pending.values()) if (entry.pool === name) outstanding++;
      out.push({
        pool: name,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        workers,
        outstanding,
      });
    }
    return out;
  }

  /** Totals since start: submitted, completed, failed, stale results refused, jobs re-added. */
  counts(): Readonly<typeof this.counters> {
    return this.counters;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.reconcileTimer);
    for (const entry of this.pending.values()) clearTimeout(entry.scheduleTimer);
    await Promise.allSettled(
      [...this.pools.values()].flatMap((c) => [c.events.close(), c.queue.close()]),
    );
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private channel(pool: string): PoolChannel {
    let channel = this.pools.get(pool);
    if (channel) return channel;
    const connection = { prefix: this.options.prefix };
    const queue = new Queue<NodeJobData, NodeJobResult>(pool, {
      ...connection,
      connection: this.redis,
      streams: { events: { maxLen: this.options.eventsMaxLen } },
    });
    // NOTE: read from a minute back, not from now: a job added in the tick that made this
    // channel may finish (or be refused as a duplicate) before the first read would start.
    const events = new QueueEvents(pool, {
      ...connection,
      connection: this.redis.duplicate(),
      lastEventId: `${Date.now() - EVENTS_LOOKBACK_MS}-0`,
    });
    events.on('error', () => undefined);
    events.on('active', ({ jobId }) => this.onActive(jobId));
    events.on('completed', ({ jobId, returnvalue }) => this.onResult(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.onLost(jobId, failedReason));
    // NOTE: an attempt waited for again after a claim re-adds its job under the same id, which
    // BullMQ refuses as a duplicate: the job's state tells whether its result is already there.
    (events as unknown as NodeJS.EventEmitter).on('duplicated', ({ jobId }: { jobId: string }) => {
      const entry = this.pending.get(jobId);
      if (entry) void this.check(entry).catch(() => undefined);
    });
    queue.on('error', () => undefined);
    channel = { queue, events, toAdd: [] };
    this.pools.set(pool, channel);
    return channel;
  }

  private track(entry: PendingAttempt): void {
    this.pending.set(entry.jobId, entry);
    const execution = entry.data.executionId;
    this.pendingByExecution.set(execution, (this.pendingByExecution.get(execution) ?? 0) + 1);
    this.counters.submitted++;
  }

  /** Stops waiting for the attempt; `delivered` when its result was handed over. */
  private untrack(entry: PendingAttempt, delivered = true): boolean {
    if (this.pending.get(entry.jobId) !== entry) return false;
    this.pending.delete(entry.jobId);
    if (delivered) keep(this.delivered, entry.jobId);
    clearTimeout(entry.scheduleTimer);
    const execution = entry.data.executionId;
    const left = (this.pendingByExecution.get(execution) ?? 1) - 1;
    if (left > 0) this.pendingByExecution.set(execution, left);
    else this.pendingByExecution.delete(execution);
    return true;
  }

  /** Adds the job with the others of this tick: one `addBulk` per pool per tick. */
  private enqueue(entry: PendingAttempt): void {
    const channel = this.channel(entry.pool);
    entry.adding = true;
    channel.toAdd.push(entry);
    if (channel.toAdd.length === 1) queueMicrotask(() => this.flush(channel));
  }

  private flush(channel: PoolChannel): void {
    const batch = channel.toAdd.splice(0).filter((e) => this.pending.get(e.jobId) === e);
    for (const e of batch) e.adding = false;
    if (batch.length === 0) return;
    channel.queue
      .addBulk(batch.map((e) => ({ name: e.data.node.type, data: e.data, opts: e.opts })))
      .then(
        () => {
          for (const e of batch) e.added = true;
        },
        (error: Error) =>
          // NOTE: kept pending: the reconcile adds them once Redis answers again.
          this.logger.warn(
            `could not add ${batch.length} job(s) to ${channel.queue.name}: ${error.message}`,
          ),
      );
  }

  private onActive(jobId: string): void {
    const entry = this.pending.get(jobId);
    if (!entry) return;
    entry.active = true;
    entry.heardAt = Date.now();
    clearTimeout(entry.scheduleTimer);
  }

  private onResult(jobId: string, returnvalue: unknown): void {
    const entry = this.pending.get(jobId);
    if (!entry) return this.noteStale(jobId);
    this.untrack(entry);
    this.counters.completed++;
    const result = (
      typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue
    ) as NodeJobResult | null;
    if (!result || typeof result !== 'object') {
      return entry.reject(
        new NodeExecutionError('The worker returned no result', {
          retryable: true,
          code: 'QUEUE_RESULT_INVALID',
        }),
      );
    }
    if (!result.ok) {
      const { message, code, retryable, details } = result.error;
      return entry.reject(new NodeExecutionError(message, { retryable, code, details }));
    }
    if ('skipped' in result) return entry.resolve({ kind: 'skipped', reason: result.skipped });
    entry.resolve({ kind: 'completed', result: { output: result.output, next: result.next } });
  }

  /** BullMQ failed the job itself: the worker lost it (stalled past its lock, or died). */
  private onLost(jobId: string, reason: string): void {
    const entry = this.pending.get(jobId);
    if (!entry) return this.noteStale(jobId);
    this.untrack(entry);
    this.counters.failed++;
    entry.reject(
      new NodeExecutionError(`The worker lost the attempt: ${reason}`, {
        retryable: true,
        code: 'QUEUE_ATTEMPT_LOST',
      }),
    );
  }

  private noteStale(jobId: string): void {
    if (this.delivered.has(jobId)) return;
    if (this.superseded.has(jobId) || this.pendingByExecution.has(executionOfJob(jobId))) {
      this.counters.staleResults++;
      this.superseded.delete(jobId);
    }
  }

  /** The attempt was cancelled, timed out or abandoned here: stop the worker, drop the job. */
  /**
   * The attempt ended here: cancelled, timed out, halted, or its execution let go. Only an
   * attempt that is over is stopped on its worker and dropped from the queue; one whose
   * execution this engine let go of (`EXECUTION_ABANDONED`: shutdown, a lease gone stale) goes
   * on, for whichever engine claims the execution to wait for.
   */
  private abandon(entry: PendingAttempt, reason: unknown): void {
    if (!this.untrack(entry, false)) return;
    entry.reject(new NodeExecutionError('The attempt was abandoned', { retryable: false }));
    if ((reason as NodeExecutionError | undefined)?.code === 'EXECUTION_ABANDONED') return;
    keep(this.superseded, entry.jobId);
    if (this.closed) return;
    const channel = this.pools.get(entry.pool);
    void this.redis.publish(cancelChannel(this.options.prefix), entry.jobId).catch(() => undefined);
    void channel?.queue.remove(entry.jobId).catch(() => undefined);
  }

  private async notStarted(entry: PendingAttempt, afterMs: number): Promise<void> {
    if (this.pending.get(entry.jobId) !== entry || entry.active) return;
    const channel = this.channel(entry.pool);
    // NOTE: a job a worker took meanwhile is locked and cannot be removed: it goes on.
    const removed = await channel.queue.remove(entry.jobId).catch(() => 0);
    const state = removed
      ? 'unknown'
      : await channel.queue.getJobState(entry.jobId).catch(() => 'unknown');
    if (!removed && state !== 'waiting' && state !== 'prioritized' && state !== 'unknown') return;
    if (!this.untrack(entry, false)) return;
    keep(this.superseded, entry.jobId);
    entry.reject(
      new NodeExecutionError(
        `No worker of pool ${entry.pool} started the attempt within ${afterMs} ms (scheduleToStartTimeoutMs)`,
        { retryable: false, code: 'QUEUE_SCHEDULE_TIMEOUT', details: { pool: entry.pool } },
      ),
    );
  }

  /**
   * Puts Redis back in line with what this engine waits for: jobs never added (Redis was down)
   * are added; with `all` (or when the sentinel key is gone: Redis lost its data), and for
   * attempts not heard of for `stuckAfterMs`, each job's state is read: a missing job is added
   * again, a finished one delivers its result.
   */
  private async reconcile(all: boolean): Promise<void> {
    if (this.reconciling || this.closed || this.pending.size === 0) return;
    this.reconciling = true;
    try {
      const sentinel = await this.redis.exists(this.sentinelKey);
      if (sentinel === 0) {
        all = true;
        await this.redis.set(this.sentinelKey, '1');
        this.logger.warn('Redis lost its data: re-adding the attempts this engine waits for');
      }
      const stuckBefore = Date.now() - this.options.stuckAfterMs;
      for (const entry of [...this.pending.values()]) {
        if (this.closed) return;
        if (!entry.added) {
          if (!entry.adding) this.enqueue(entry);
          continue;
        }
        if (all || entry.heardAt < stuckBefore) await this.check(entry);
      }
    } catch (error) {
      this.logger.warn(`reconcile failed: ${(error as Error).message}`);
    } finally {
      this.reconciling = false;
    }
  }

  private async check(entry: PendingAttempt): Promise<void> {
    const { queue } = this.channel(entry.pool);
    const state = await queue.getJobState(entry.jobId);
    if (this.pending.get(entry.jobId) !== entry) return;
    entry.heardAt = Date.now();
    if (state === 'unknown') {
      this.counters.reAdded++;
      entry.added = false;
      entry.active = false;
      this.enqueue(entry);
    } else if (state === 'completed') {
      const job = await Job.fromId<NodeJobData, NodeJobResult>(queue, entry.jobId);
      if (job) this.onResult(entry.jobId, job.returnvalue);
    } else if (state === 'failed') {
      const job = await Job.fromId<NodeJobData, NodeJobResult>(queue, entry.jobId);
      this.onLost(entry.jobId, job?.failedReason ?? 'failed');
    }
  }
}

/** Adds `jobId` to `ids`, dropping the oldest beyond `JOB_IDS_KEPT`. */
function keep(ids: Set<string>, jobId: string): void {
  ids.add(jobId);
  if (ids.size > JOB_IDS_KEPT) ids.delete(ids.values().next().value!);
}
