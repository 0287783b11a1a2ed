import { Inject, Injectable } from '@nestjs/common';
import { InvalidStateError, OrchestrationError } from '../errors';
import { CompiledGraph } from '../graph/compiled-graph';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { NodeRunnerService } from '../node-runner/node-runner.service';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { ExecutionRecord } from '../state-tracker/execution-record.interface';
import { EXECUTION_STORE, ExecutionStore } from '../state-tracker/execution-store.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { InstanceIdentity } from '../state-tracker/instance-identity';
import { ExecutionFold } from '../state-tracker/journal/execution-fold';
import { pendingNodeState } from '../state-tracker/node-state.factory';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { ExecutionStatus } from '../state-tracker/status.enum';
import { ExecutionRun } from './execution-run';
import { GraphCatalog } from './graph.catalog';
import { LeaseState } from './lease.state';
import { WorkerPool } from './worker-pool';

/** What a claim found and did. */
export type ClaimResult =
  | { status: 'claimed'; record: Omit<ExecutionRecord, 'history'> }
  /** Nothing to do: not found, ended, or the caller's check said no (with its reason). */
  | { status: 'declined'; reason: string; fold: ExecutionFold | null }
  /** Another instance wrote the journal first. */
  | { status: 'lost' };

/** How a claim looks at and changes the execution it takes. */
export interface ClaimPlan {
  /** Why, for the journal. */
  reason: string;
  /** Returns why not to claim, or undefined to go on. Called with the stored state. */
  check(fold: ExecutionFold): string | undefined;
  /** Changes made in the claim's page, after the claim entry (e.g. a retry's resets). */
  prepare?(view: ExecutionView): void;
  /** What to do with the run once the claim is stored. Default: `run.start()`. */
  begin?(run: ExecutionRun): void;
}

/** Claims of one execution tried in a row when a late page of its previous owner takes the number. */
const CLAIM_ATTEMPTS = 3;

/**
 * The executions running in this process: starts them (new, claimed from a dead owner, or
 * re-run), keeps their runs, and lets go of them. The only place an `ExecutionRun` is made.
 * A claim inserts the next page of the execution's journal with the new owner epoch: of two
 * instances claiming at once, the one whose page is refused goes away.
 */
@Injectable()
export class ExecutionLauncher {
  private readonly runs = new Map<string, ExecutionRun>();
  /** Per active execution: resolves once it ended (or left) and its journal is written. */
  private readonly settled = new Map<string, Promise<Omit<ExecutionRecord, 'history'>>>();
  /** Executions being created here, by id, with when their creation began (oldest first). */
  private readonly inCreation = new Map<string, number>();
  /** Ended executions being re-run here (a retry or a node action), not yet running. */
  private readonly reopening = new Set<string>();
  private paused = false;
  /** Whether handlers start only once their attempt is stored. */
  readonly durable: boolean;

  constructor(
    private readonly tracker: StateTracker,
    private readonly runner: NodeRunnerService,
    private readonly registry: NodeHandlerRegistry,
    private readonly pool: WorkerPool,
    private readonly catalog: GraphCatalog,
    private readonly identity: InstanceIdentity,
    private readonly lease: LeaseState,
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {
    this.durable = store.durable && (options.durability ?? 'durable') === 'durable';
  }

  /** The run of an execution active here. */
  run(executionId: string): ExecutionRun | undefined {
    return this.runs.get(executionId);
  }

  /** Ids of the executions active here. */
  ids(): string[] {
    return [...this.runs.keys()];
  }

  /**
   * Runs `create` for a new execution id, which counts as owned here until it settles, however
   * long that takes (the lease lists it: an id made before a renewal and launched after it is
   * never unlisted, and one whose caller gave up waiting is not forgotten).
   */
  creating<T>(executionId: string, create: () => Promise<T>): Promise<T> {
    this.inCreation.set(executionId, performance.now());
    const creation = create();
    void creation.then(
      () => this.inCreation.delete(executionId),
      () => this.inCreation.delete(executionId),
    );
    return creation;
  }

  /** Ids of the executions being created here (see `creating`). */
  idsInCreation(): string[] {
    return [...this.inCreation.keys()];
  }

  /** How long the oldest creation under way here has waited for the store, in ms (0: none). */
  creationLagMs(): number {
    for (const began of this.inCreation.values()) return performance.now() - began;
    return 0;
  }

  /** Runs active here. */
  all(): ExecutionRun[] {
    return [...this.runs.values()];
  }

  /** Resolves with the final record once the execution ends here (or leaves this process). */
  settledOf(executionId: string): Promise<Omit<ExecutionRecord, 'history'>> | undefined {
    return this.settled.get(executionId);
  }

  /**
   * Runs `reopen` (a claim that re-runs an ended execution) unless the execution runs here or
   * is being re-run here already. @throws InvalidStateError then.
   */
  async reopen<T>(executionId: string, reopen: () => Promise<T>): Promise<T> {
    if (this.runs.has(executionId) || this.reopening.has(executionId)) {
      throw new InvalidStateError(`Execution ${executionId} is running`, ExecutionStatus.RUNNING);
    }
    this.reopening.add(executionId);
    try {
      return await reopen();
    } finally {
      this.reopening.delete(executionId);
    }
  }

  /** Starts a new execution whose page 0 is stored. */
  launchNew(graph: CompiledGraph, record: Omit<ExecutionRecord, 'history'>): void {
    const nodes = graph.nodes.map((n) => pendingNodeState(record.id, n.id));
    const stored = this.store.durable ? new ExecutionFold(record.id, false) : null;
    if (stored) {
      stored.record = { ...record, history: [] };
      stored.lastPage = 0;
      stored.seq = 1;
    }
    const view = this.tracker.track(record, nodes, graph.index, { seq: 1, nextPage: 1 }, stored);
    this.startRun(graph, view);
  }

  /**
   * Takes an execution over: reads its journal from the latest checkpoint, asks `plan.check`,
   * inserts the next page with a claim (and `plan.prepare`'s changes), and once that page is
   * stored runs it here. @throws StoreUnavailableError, NotFoundError (its graph is gone)
   */
  async claim(executionId: string, plan: ClaimPlan): Promise<ClaimResult> {
    // NOTE: a claim page loses to whatever page took its number: a claim by another instance
    // (lost), or a late page of the previous owner (a write sent before it died, or while it
    // was stopped) that landed after the journal was read: then the claim is tried again.
    for (let attempt = 1; ; attempt++) {
      const result = await this.claimOnce(executionId, plan);
      if (result.status !== 'lost') return result;
      if (attempt === CLAIM_ATTEMPTS) return { status: 'lost' };
      const read = await this.store.readJournal(executionId, { fromCheckpoint: true });
      const fold = ExecutionFold.of(executionId, read.checkpoint, read.pages, false);
      if (!fold.record || fold.record.epoch > result.epoch) return { status: 'lost' };
    }
  }

  private async claimOnce(
    executionId: string,
    plan: ClaimPlan,
  ): Promise<Exclude<ClaimResult, { status: 'lost' }> | { status: 'lost'; epoch: number }> {
    if (this.runs.has(executionId))
      return { status: 'declined', reason: 'it runs here', fold: null };
    const read = await this.store.readJournal(executionId, { fromCheckpoint: true });
    const fold = ExecutionFold.of(executionId, read.checkpoint, read.pages, false);
    if (!fold.record) return { status: 'declined', reason: 'not found', fold: null };
    const refusal = plan.check(fold);
    if (refusal !== undefined) return { status: 'declined', reason: refusal, fold };
    const graph = await this.catalog.compiledGraph(fold.record.graphId);
    if (this.runs.has(executionId)) return { status: 'declined', reason: 'it runs here', fold };
    const { history: _history, ...record } = fold.record;
    const nodes = fold.nodeStates(graph.nodes.map((n) => n.id));
    const view = this.tracker.track(
      record,
      nodes,
      graph.index,
      { seq: fold.seq, nextPage: fold.lastPage + 1 },
      this.store.durable ? fold : null,
    );
    for (const id of fold.commands) view.commands.add(id);
    view.reopenedSeq = fold.reopenedSeq;
    const by = this.identity.instanceId;
    // NOTE: the claim and its changes (a re-run's resets, a node action) go in one page.
    this.tracker.together(view, () => {
      this.tracker.record(view, {
        kind: 'claim',
        owner: by,
        epoch: record.epoch + 1,
        by,
        reason: plan.reason,
      });
      plan.prepare?.(view);
    });
    await this.tracker.whenStored(view);
    if (view.lost) {
      this.tracker.drop(view);
      return { status: 'lost', epoch: record.epoch };
    }
    this.startRun(graph, view, plan.begin);
    return { status: 'claimed', record: { ...view.record } };
  }

  /**
   * Ends an execution at once with `error` (its store refused a page for good): claims it and
   * records every unfinished node and the execution as failed.
   */
  async failNow(executionId: string, error: OrchestrationError): Promise<void> {
    const result = await this.claim(executionId, {
      reason: `failing it: ${error.message}`,
      check: (fold) => (fold.ended ? 'it has ended' : undefined),
      begin: (run) => run.failNow(error),
    });
    if (result.status === 'claimed') await this.settled.get(executionId);
  }

  /** Lets go of an execution at once: no further writes, its handlers are aborted. */
  release(executionId: string, reason: string): void {
    const run = this.runs.get(executionId);
    if (!run) return;
    run.abandon(reason);
    this.runs.delete(executionId);
    this.settled.delete(executionId);
    const view = this.tracker.view(executionId);
    if (view) this.tracker.drop(view);
  }

  /** Starts nothing new in any run (shutdown); what runs finishes. */
  pauseAll(): void {
    this.paused = true;
    for (const run of this.runs.values()) run.pause();
  }

  /** Lets go of every run, leaving what is written (shutdown). */
  abandonAll(reason: string): void {
    for (const run of this.runs.values()) run.abandon(reason);
    this.runs.clear();
  }

  private startRun(
    graph: CompiledGraph,
    view: ExecutionView,
    begin: (run: ExecutionRun) => void = (run) => run.start(),
  ): ExecutionRun {
    const id = view.id;
    const run = new ExecutionRun({
      graph,
      view,
      tracker: this.tracker,
      runner: this.runner,
      registry: this.registry,
      pool: this.pool,
      options: this.options,
      durable: this.durable,
      lease: this.lease,
      onStaleLease: (executionId) => {
        this.release(executionId, 'the lease went stale before a launch');
        this.lease.reclaim.add(executionId);
      },
    });
    this.runs.set(id, run);
    // NOTE: entries are removed only if they are still this run's: a retry may have started
    // a new run of the same execution meanwhile. A run is forgotten only once its last page is
    // stored, so a recovery sweep never mistakes a finished run's execution for an orphan.
    const settled = run.done.then(async (record) => {
      await this.tracker.untrack(view);
      if (this.runs.get(id) === run) this.runs.delete(id);
      // NOTE: the run leaves the active set once its journal is stored; the caller also waits
      // for the list outcomes, so a list read after `done` agrees with it.
      await this.tracker.outcomesWritten();
      if (this.settled.get(id) === settled) this.settled.delete(id);
      // NOTE: a run that lost its journal (another owner, a refused page) ended only in memory:
      // what is stored is what the caller gets.
      if (view.lost && view.stored?.record) {
        const { history: _history, ...stored } = view.stored.record;
        return stored;
      }
      return record;
    });
    this.settled.set(id, settled);
    if (this.paused) run.pause();
    begin(run);
    return run;
  }
}
