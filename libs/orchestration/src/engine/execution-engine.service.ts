import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Subscription } from 'rxjs';
import {
  InvalidStateError,
  NotFoundError,
  OrchestrationError,
  OverloadedError,
  StoreUnavailableError,
} from '../errors';
import { CompiledGraph } from '../graph/compiled-graph';
import { GraphDefinition } from '../graph/graph-definition.interface';
import { newId } from '../ids';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  ExecutionQuery,
  ExecutionRecord,
  GraphRecord,
  NodeStateRecord,
} from '../state-tracker/execution-record.interface';
import {
  EXECUTION_STORE,
  ExecutionStore,
  ListedExecution,
} from '../state-tracker/execution-store.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { InstanceIdentity } from '../state-tracker/instance-identity';
import { ExecutionFold } from '../state-tracker/journal/execution-fold';
import { JournalPage } from '../state-tracker/journal/journal-page.interface';
import { Stall, StallDetector } from '../state-tracker/stall-detector.service';
import { StateTracker } from '../state-tracker/state-tracker.service';
import {
  ExecutionStatus,
  NodeStatus,
  TERMINAL_EXECUTION_STATUSES,
  TERMINAL_NODE_STATUSES,
} from '../state-tracker/status.enum';
import { StoreHealth } from '../state-tracker/store-health';
import { EventLoopLoad } from './event-loop.load';
import { ExecutionLauncher } from './execution.launcher';
import { ExecutionReader, ExecutionState } from './execution.reader';
import { GraphCatalog } from './graph.catalog';
import { CommandOutbox, CommandRequest } from './command.outbox';
import { NodeAction, operatorAction, RESET_NODE_FIELDS } from './node-action';
import { NodeActionResult, NodeActionsService } from './node-actions.service';
import { OwnershipKeeper } from './ownership.keeper';
import { WorkerPool } from './worker-pool';

/** Node statuses a retry sends back to pending. */
const RETRIED_NODE_STATUSES: ReadonlySet<NodeStatus> = new Set([
  NodeStatus.FAILED,
  NodeStatus.CANCELLED,
  NodeStatus.SKIPPED,
]);

/** A snapshot of this process's scheduler. */
export interface EngineLoad {
  /** Executions running in this process. */
  activeExecutions: number;
  /** Nodes running now (worker slots in use). */
  runningNodes: number;
  /** Nodes ready to start that wait for a slot; may count a node that was cancelled meanwhile. */
  queuedNodes: number;
  /** The `maxWorkers` limit. */
  maxWorkers: number;
  /** Journal entries made and not yet stored. */
  journalBacklog: number;
  /** Age of the oldest journal entry not yet stored, in ms. */
  journalLagMs: number;
}

/** Options of `ExecutionEngine.startExecution()`. */
export interface StartExecutionOptions {
  /** Merged over the graph's default input. */
  input?: Record<string, unknown>;
  /** The same key for the same graph returns the existing execution instead of starting another. */
  idempotencyKey?: string;
  /** Recorded in the history as who started it. Default the instance id. */
  by?: string;
}

/**
 * The engine's command facade: start, cancel, signal, retry and wait for executions, on
 * whichever instance receives the command (one owned elsewhere gets it through the commands
 * collection). Graphs live in `GraphCatalog`, reads in `ExecutionReader`, runs in
 * `ExecutionLauncher`, leases and recovery in `OwnershipKeeper`; the read methods here delegate.
 */
@Injectable()
export class ExecutionEngine
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Trellis');
  /** Set at shutdown: nothing new starts (see `beforeApplicationShutdown`). */
  private stopping = false;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly catalog: GraphCatalog,
    private readonly reader: ExecutionReader,
    private readonly launcher: ExecutionLauncher,
    private readonly keeper: OwnershipKeeper,
    private readonly tracker: StateTracker,
    private readonly pool: WorkerPool,
    private readonly stallDetector: StallDetector,
    private readonly identity: InstanceIdentity,
    private readonly health: StoreHealth,
    private readonly loop: EventLoopLoad,
    private readonly nodeActions: NodeActionsService,
    private readonly outbox: CommandOutbox,
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  onApplicationBootstrap(): void {
    const mode = this.launcher.durable ? 'durable' : 'write-behind';
    if (!this.store.durable)
      this.logger.warn(
        `State store: ${this.store.description}; executions do not survive a restart`,
      );
    else this.logger.log(`State store: ${this.store.description} (${mode})`);
    this.subscriptions.push(
      this.tracker.losses$.subscribe((loss) => {
        this.launcher.release(loss.executionId, loss.message);
        if (loss.kind === 'rejected') {
          void this.launcher
            .failNow(
              loss.executionId,
              new OrchestrationError(
                'STORE_REJECTED',
                `The store refused a write of this execution: ${loss.message}`,
              ),
            )
            .catch((error: Error) =>
              this.logger.error(
                `Cannot record the failure of ${loss.executionId}: ${error.message}`,
              ),
            );
        }
      }),
      this.stallDetector.stalls$.subscribe((stall) => this.resolveStall(stall)),
    );
  }

  /**
   * Graceful stop, first part: no new node starts; nodes already running get up to
   * `shutdownGraceMs` to finish, and their outcome is recorded.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.launcher.pauseAll();
    if (this.pool.busy === 0 || this.options.shutdownGraceMs === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.options.shutdownGraceMs);
    });
    const over = await Promise.race([this.pool.whenIdle().then(() => false), graceOver]);
    clearTimeout(timer);
    this.logger.log(
      over
        ? `Shutdown: ${this.pool.busy} node(s) still running after ${this.options.shutdownGraceMs} ms; they resume on the next start`
        : 'Shutdown: running nodes finished',
    );
  }

  /**
   * Stops scheduling and writes what is queued. Executions still running stay `running` in the
   * store and resume (interrupted nodes as a new attempt) when an instance takes them.
   */
  async onApplicationShutdown(): Promise<void> {
    for (const s of this.subscriptions) s.unsubscribe();
    await this.tracker.flush();
    this.launcher.abandonAll('the engine is shutting down');
  }

  /** Validates and compiles a definition. @throws GraphValidationError (or CycleDetectedError). */
  validate(definition: unknown): CompiledGraph {
    return this.catalog.validate(definition);
  }

  /** Validates and stores a graph. @throws GraphValidationError, StoreUnavailableError */
  createGraph(definition: unknown): Promise<GraphRecord> {
    return this.catalog.create(definition);
  }

  /** @throws NotFoundError */
  getGraph(id: string): Promise<GraphRecord> {
    return this.catalog.get(id);
  }

  /** Stored graphs, newest first; `before` is the id of the last graph of the previous page. */
  listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]> {
    return this.catalog.list(query);
  }

  /** Deletes a graph. @throws NotFoundError, InvalidStateError while an execution of it is active. */
  deleteGraph(id: string): Promise<void> {
    return this.catalog.delete(id);
  }

  /** An execution as stored (one running here: as in memory once its journal caught up). @throws NotFoundError */
  getExecution(id: string): Promise<Omit<ExecutionRecord, 'history'>> {
    return this.reader.getExecution(id);
  }

  /** An execution with the state of every node (no history). @throws NotFoundError */
  getExecutionState(id: string): Promise<ExecutionState> {
    return this.reader.getState(id);
  }

  /** The node states of an execution (no history). @throws NotFoundError */
  async getNodeStates(executionId: string): Promise<NodeStateRecord[]> {
    return (await this.reader.getState(executionId)).nodes;
  }

  /** One node state with its full history. @throws NotFoundError */
  getNodeState(executionId: string, nodeId: string): Promise<NodeStateRecord> {
    return this.reader.getNodeState(executionId, nodeId);
  }

  /** Executions, newest first, filtered by graph and status. */
  listExecutions(query: ExecutionQuery): Promise<ListedExecution[]> {
    return this.reader.listExecutions(query);
  }

  /**
   * Starts an execution of a stored graph. Returns once page 0 of its journal is stored (for a
   * durable store); the nodes then run in the background.
   * @throws NotFoundError, StoreUnavailableError, OverloadedError, OrchestrationError SHUTTING_DOWN
   */
  async startExecution(
    graphId: string,
    options: StartExecutionOptions = {},
  ): Promise<{ execution: Omit<ExecutionRecord, 'history'>; created: boolean }> {
    this.assertAccepting();
    const graph = await this.catalog.compiledGraph(graphId);
    const now = new Date();
    const by = options.by ?? this.identity.instanceId;
    const record: Omit<ExecutionRecord, 'history'> = {
      id: newId(),
      graphId,
      status: ExecutionStatus.PENDING,
      input: { ...(graph.definition.input ?? {}), ...(options.input ?? {}) },
      error: null,
      createdAt: now,
      startedAt: null,
      completedAt: null,
      owner: this.identity.instanceId,
      epoch: 1,
      idempotencyKey: options.idempotencyKey ?? null,
    };
    const first: JournalPage = {
      executionId: record.id,
      page: 0,
      // NOTE: unique per creation, not per process: concurrent requests of one process under
      // one idempotency key race for the same page 0, and only the one that stored it created it.
      writer: `${this.identity.incarnation}/${record.id}`,
      at: now,
      creation: {
        graphId,
        input: record.input,
        createdAt: now,
        idempotencyKey: record.idempotencyKey,
        owner: this.identity.instanceId,
      },
      entries: [
        { kind: 'execution', seq: 1, at: now, by, from: 'none', to: ExecutionStatus.PENDING },
      ],
    };
    const summary = {
      id: record.id,
      graphId,
      input: record.input,
      createdAt: now,
      idempotencyKey: record.idempotencyKey,
      createdBy: this.identity.instanceId,
    };
    // NOTE: the execution is launched when its page 0 is stored, even if this request stopped
    // waiting for it (503 after storeTimeoutMs): what is stored runs, nothing is left pending.
    const creation = this.launcher.creating(record.id, async () => {
      const result = await this.store.createExecution(summary, first);
      if (result.created && result.executionId === record.id)
        this.launcher.launchNew(graph, record);
      return result;
    });
    // NOTE: once the insert is sent, a store that does not answer leaves its outcome unknown:
    // the caller learns the id, to look it up or to retry under the same idempotency key.
    const { created, executionId } = await this.health
      .call(() => creation, this.options.storeTimeoutMs)
      .catch((error: unknown) => {
        throw error instanceof StoreUnavailableError
          ? StoreUnavailableError.unconfirmed(record.id, error)
          : error;
      });
    // NOTE: not created here: the key's execution, or one a crashed creator began under the key.
    if (!created || executionId !== record.id) {
      return { execution: await this.reader.getExecution(executionId), created };
    }
    return { execution: { ...record }, created };
  }

  /** Validates, stores and starts a graph in one call; `done` resolves when the execution ends. */
  async run(
    definition: GraphDefinition,
    options: StartExecutionOptions = {},
  ): Promise<{
    graphId: string;
    executionId: string;
    done: Promise<Omit<ExecutionRecord, 'history'>>;
  }> {
    const graph = await this.createGraph(definition);
    const { execution } = await this.startExecution(graph.id, options);
    return { graphId: graph.id, executionId: execution.id, done: this.waitFor(execution.id) };
  }

  /** Resolves with the execution's final record when it ends here. @throws NotFoundError, InvalidStateError */
  async waitFor(executionId: string): Promise<Omit<ExecutionRecord, 'history'>> {
    const settled = this.launcher.settledOf(executionId);
    if (settled) return settled;
    const record = await this.getExecution(executionId);
    if (!TERMINAL_EXECUTION_STATUSES.has(record.status)) {
      throw new InvalidStateError(
        `Execution ${executionId} is not running in this process`,
        record.status,
      );
    }
    return record;
  }

  /**
   * Cancels an active execution, wherever it runs (one owned elsewhere is cancelled by its
   * owner within `commandPollMs`). @throws NotFoundError, InvalidStateError when it has ended.
   */
  async cancel(executionId: string, by = 'api', reason = 'cancelled by request'): Promise<void> {
    const run = this.launcher.run(executionId);
    if (run && !run.ended) {
      run.cancel(by, reason);
      if (await this.tracker.storedHere(executionId)) return;
    }
    const fold = await this.reader.fold(executionId, false);
    if (fold.ended) {
      throw new InvalidStateError(
        `Execution ${executionId} is ${fold.record!.status}`,
        fold.record!.status,
      );
    }
    await this.sendCommand({ executionId, type: 'cancel', by, reason }, fold);
  }

  /**
   * Sends an external signal (an approval) to a node, wherever the execution runs; it is kept
   * until the node uses it. @throws NotFoundError, InvalidStateError when the node or execution has ended.
   */
  async signal(
    executionId: string,
    nodeId: string,
    payload: unknown = {},
    by = 'api',
    reason?: string,
  ): Promise<void> {
    const run = this.launcher.run(executionId);
    if (run && !run.ended) {
      run.signal(nodeId, payload, by, reason);
      if (await this.tracker.storedHere(executionId)) return;
    }
    const fold = await this.reader.fold(executionId, false);
    const graph = await this.catalog.compiledGraph(fold.record!.graphId);
    if (!graph.index.has(nodeId)) throw new NotFoundError('node', nodeId);
    if (fold.ended) {
      throw new InvalidStateError(
        `Execution ${executionId} is ${fold.record!.status}`,
        fold.record!.status,
      );
    }
    const status = fold.nodes.get(nodeId)?.status ?? NodeStatus.PENDING;
    if (TERMINAL_NODE_STATUSES.has(status) && status !== NodeStatus.FAILED) {
      throw new InvalidStateError(`Node ${nodeId} cannot take a signal: it is ${status}`, status);
    }
    await this.sendCommand({ executionId, type: 'signal', by, reason, nodeId, payload }, fold);
  }

  /**
   * Re-runs the unfinished part of an ended execution here: its failed, cancelled and skipped
   * nodes go back to pending (the history says why) and run again with their whole retry policy
   * (attempt numbers go on counting); completed nodes keep their output and a branch a
   * CONDITIONAL node chose stays chosen. The claim is one journal page: of two instances retrying
   * at once, one wins and the other gets InvalidStateError.
   * `by` and `reason` (default `retry requested`) are recorded with every transition it makes.
   * @throws NotFoundError; InvalidStateError unless the execution is failed or cancelled.
   */
  async retry(
    executionId: string,
    by = 'api',
    reason?: string,
  ): Promise<Omit<ExecutionRecord, 'history'>> {
    return this.launcher.reopen(executionId, async () => {
      this.assertAccepting();
      const recorded = reason ?? 'retry requested';
      const result = await this.launcher.claim(executionId, {
        reason: recorded,
        check: (fold) => retryRefusal(fold),
        prepare: (view) => this.resetForRetry(view, by, recorded, reason),
      });
      if (result.status === 'claimed') return result.record;
      if (result.status === 'lost') {
        throw new InvalidStateError(
          `Execution ${executionId} was retried by another instance`,
          ExecutionStatus.RUNNING,
        );
      }
      if (!result.fold) throw new NotFoundError('execution', executionId);
      const status = result.fold.record!.status;
      throw new InvalidStateError(
        `Execution ${executionId} is ${status}; ${result.reason}`,
        status,
      );
    });
  }

  /**
   * Applies an operator's action on one node (retry, complete, skip; see `NodeAction`), wherever
   * the execution runs (see `NodeActionsService`): here at once; on its owner through the
   * commands collection, waiting for the owner's answer (`pending` when none came in time: it
   * is applied once, or refused, later); for an execution that has ended by reopening it here in
   * one claim page, as `retry` does. Resolves once the action is stored.
   * @throws NotFoundError; NodeActionRefusedError (409) when the node's or the execution's state
   * does not allow it; OrchestrationError PAYLOAD_TOO_LARGE for an output over `maxOutputBytes`.
   */
  actOnNode(executionId: string, action: NodeAction): Promise<NodeActionResult> {
    return this.nodeActions.act(executionId, action, () => this.assertAccepting());
  }

  /** Claims executions whose owner stopped (see `OwnershipKeeper`). @returns how many were claimed. */
  recover(): Promise<number> {
    return this.keeper.sweep();
  }

  /** What the scheduler of this process is doing now (for stats and metrics). */
  load(): EngineLoad {
    let queuedNodes = 0;
    const runs = this.launcher.all();
    for (const run of runs) queuedNodes += run.queued;
    return {
      activeExecutions: runs.length,
      runningNodes: this.pool.busy,
      queuedNodes,
      maxWorkers: this.options.maxWorkers,
      journalBacklog: this.tracker.backlog,
      journalLagMs: this.tracker.lagMs(),
    };
  }

  /** Ids of executions running in this process. */
  activeExecutionIds(): string[] {
    return this.launcher.ids();
  }

  private resetForRetry(
    view: ExecutionView,
    by: string,
    reason: string,
    given: string | undefined,
  ): void {
    const lastAction = operatorAction('retry', by, given);
    this.tracker.transitionExecution(view, ExecutionStatus.RUNNING, { lastAction }, by, reason);
    for (const node of view.nodes) {
      if (!RETRIED_NODE_STATUSES.has(node.status)) continue;
      this.tracker.transitionNode(
        view,
        node,
        NodeStatus.PENDING,
        { ...RESET_NODE_FIELDS, attemptBase: node.attempts },
        by,
        reason,
      );
    }
  }

  /**
   * Leaves a cancel or signal for the owner elsewhere and waits for its answer.
   * @throws InvalidStateError when the owner refused it, or the execution ended first.
   */
  private async sendCommand(request: CommandRequest, fold: ExecutionFold): Promise<void> {
    const { command, outcome } = await this.outbox.send(request, fold);
    if (outcome.status === 'applied' || outcome.status === 'pending') return;
    if (outcome.status === 'ended') await this.outbox.forget([command.id]);
    const now = await this.reader.fold(request.executionId, false);
    const status = now.record!.status;
    const why = outcome.status === 'refused' ? outcome.reason : `execution is ${status}`;
    throw new InvalidStateError(
      `${request.type} of ${request.executionId} refused: ${why}`,
      status,
    );
  }

  /**
   * @throws OrchestrationError `SHUTTING_DOWN` once shutdown began; StoreUnavailableError while
   * the store is down; OverloadedError while the journal lags or too much runs here.
   */
  private assertAccepting(): void {
    if (this.stopping) {
      throw new OrchestrationError(
        'SHUTTING_DOWN',
        'This instance is shutting down; nothing new starts here',
      );
    }
    this.health.assertUp();
    // NOTE: creations go to the store on their own, not through the journal writer: a store
    // slow to take them is behind as much as one slow to take journal pages.
    const lag = Math.round(Math.max(this.tracker.lagMs(), this.launcher.creationLagMs()));
    if (lag > this.options.maxJournalLagMs) {
      throw new OverloadedError(
        `The state store is ${lag} ms behind (limit ${this.options.maxJournalLagMs} ms); try again shortly`,
        { retryAfterMs: 1000 },
      );
    }
    const delay = this.loop.delayMs();
    if (this.options.maxEventLoopDelayMs > 0 && delay > this.options.maxEventLoopDelayMs) {
      throw new OverloadedError(
        `This instance's event loop runs ${Math.round(delay)} ms late (limit ${this.options.maxEventLoopDelayMs} ms); try again shortly`,
        { retryAfterMs: 1000 },
      );
    }
    const active = this.launcher.ids().length;
    if (active >= this.options.maxActiveExecutions) {
      throw new OverloadedError(
        `${active} executions run on this instance (limit ${this.options.maxActiveExecutions}); try again shortly`,
        { retryAfterMs: 1000 },
      );
    }
  }

  private resolveStall(stall: Stall): void {
    if (stall.kind === 'orphans') {
      this.keeper
        .sweep()
        .catch((error: Error) => this.logger.error(`Recovery sweep failed: ${error.message}`));
    } else if (stall.kind === 'node-overdue') {
      this.launcher.run(stall.executionId)?.expireAttempt(stall.nodeId, stall.attempt);
    } else {
      this.launcher
        .run(stall.executionId)
        ?.failStalled('nothing is running, ready or due for retry');
    }
  }
}

/** Why an execution cannot be retried, or undefined when it can. */
function retryRefusal(fold: ExecutionFold): string | undefined {
  const status = fold.record!.status;
  if (status === ExecutionStatus.FAILED || status === ExecutionStatus.CANCELLED) return undefined;
  return 'only a failed or cancelled execution can be retried';
}
