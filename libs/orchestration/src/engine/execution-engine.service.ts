import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Subscription } from 'rxjs';
import { InvalidStateError, NotFoundError, OrchestrationError } from '../errors';
import { CompiledGraph } from '../graph/compiled-graph';
import { GraphDefinition } from '../graph/graph-definition.interface';
import { GraphValidator } from '../graph/graph.validator';
import { newId } from '../ids';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { NodeRunnerService } from '../node-runner/node-runner.service';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  ExecutionQuery,
  ExecutionRecord,
  GraphRecord,
  NodeStateRecord,
} from '../state-tracker/execution-store.interface';
import { Stall, StallDetector } from '../state-tracker/stall-detector.service';
import { pendingNodeState } from '../state-tracker/node-state.factory';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { ExecutionView } from '../state-tracker/execution-view';
import {
  ExecutionStatus,
  NodeStatus,
  TERMINAL_EXECUTION_STATUSES,
} from '../state-tracker/status.enum';
import { CompiledGraphCache } from './compiled-graph.cache';
import { ExecutionRun } from './execution-run';
import { WorkerPool } from './worker-pool';

/** Node statuses a retry sends back to pending. */
const RETRIED_NODE_STATUSES: ReadonlySet<NodeStatus> = new Set([
  NodeStatus.FAILED,
  NodeStatus.CANCELLED,
  NodeStatus.SKIPPED,
]);
const RESET_NODE_FIELDS = {
  error: null,
  output: null,
  selected: null,
  startedAt: null,
  completedAt: null,
  nextAttemptAt: null,
  deadlineAt: null,
} as const;

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
 * The engine's public API: store graphs, start, cancel and signal executions, resume
 * interrupted ones at startup. Each active execution is an `ExecutionRun` in this process.
 */
@Injectable()
export class ExecutionEngine
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Trellis');
  private readonly runs = new Map<string, ExecutionRun>();
  /** Per active execution: resolves once it ended and its final state is written. */
  private readonly settled = new Map<string, Promise<Omit<ExecutionRecord, 'history'>>>();
  private readonly compiled = new CompiledGraphCache();
  private readonly retrying = new Set<string>();
  /** Set at shutdown: nothing new starts (see `beforeApplicationShutdown`). */
  private stopping = false;
  private heartbeat?: NodeJS.Timeout;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly validator: GraphValidator,
    private readonly tracker: StateTracker,
    private readonly runner: NodeRunnerService,
    private readonly registry: NodeHandlerRegistry,
    private readonly pool: WorkerPool,
    private readonly stallDetector: StallDetector,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const store = this.tracker.store;
    if (!store.durable)
      this.logger.warn(`State store: ${store.description}; executions do not survive a restart`);
    else this.logger.log(`State store: ${store.description}`);
    this.subscriptions.push(
      this.tracker.conflicts$.subscribe(({ executionId }) =>
        this.release(executionId, 'another instance took it over'),
      ),
      this.stallDetector.stalls$.subscribe((stall) => this.resolveStall(stall)),
    );
    this.heartbeat = setInterval(
      () => void this.renewLeases(),
      Math.max(1000, this.options.leaseMs / 3),
    );
    this.heartbeat.unref();
    if (this.options.recoverOnStartup) await this.recover();
  }

  /**
   * Graceful stop, first part: no new node starts; nodes already running get up to
   * `shutdownGraceMs` to finish, and their outcome is recorded.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const run of this.runs.values()) run.pause();
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
   * store and resume (interrupted nodes as a new attempt) when an instance starts again.
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const s of this.subscriptions) s.unsubscribe();
    for (const run of this.runs.values()) run.abandon('the engine is shutting down');
    this.runs.clear();
    await this.tracker.flush();
  }

  /** Validates and compiles a definition. @throws GraphValidationError (or CycleDetectedError). */
  validate(definition: unknown): CompiledGraph {
    return this.validator.compile(definition);
  }

  /** Validates and stores a graph. @throws GraphValidationError */
  async createGraph(definition: unknown): Promise<GraphRecord> {
    const compiled = this.validator.compile(definition);
    const record: GraphRecord = {
      id: newId(),
      name: compiled.definition.name,
      definition: compiled.definition,
      createdAt: new Date(),
    };
    await this.tracker.store.saveGraph(record);
    this.compiled.set(record.id, compiled);
    return record;
  }

  /** @throws NotFoundError */
  async getGraph(id: string): Promise<GraphRecord> {
    const graph = await this.tracker.store.findGraph(id);
    if (!graph) throw new NotFoundError('graph', id);
    return graph;
  }

  /** Stored graphs, newest first; `before` is the id of the last graph of the previous page. */
  listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]> {
    return this.tracker.store.listGraphs(query);
  }

  /**
   * An execution as stored, including every change made in this process before the call
   * (the write-behind queue is flushed first for an execution running here).
   * @throws NotFoundError
   */
  async getExecution(id: string): Promise<ExecutionRecord> {
    // NOTE: bounded: with the store failing, answer from what it has rather than hang.
    if (this.tracker.view(id)) await withTimeout(this.tracker.flush(), 2000);
    const record = await this.tracker.store.findExecution(id);
    if (!record) throw new NotFoundError('execution', id);
    return record;
  }

  /** The node states of an execution, fresh as `getExecution`. @throws NotFoundError */
  async getNodeStates(executionId: string): Promise<NodeStateRecord[]> {
    await this.getExecution(executionId);
    return this.tracker.store.findNodeStates(executionId);
  }

  /** One node state with its full history, fresh as `getExecution`. @throws NotFoundError */
  async getNodeState(executionId: string, nodeId: string): Promise<NodeStateRecord> {
    await this.getExecution(executionId);
    const node = await this.tracker.store.findNodeState(executionId, nodeId);
    if (!node) throw new NotFoundError('node', nodeId);
    return node;
  }

  /** Executions, newest first, filtered by graph and status. */
  listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    return this.tracker.store.listExecutions(query);
  }

  /** Deletes a graph. @throws NotFoundError, InvalidStateError while an execution of it is active. */
  async deleteGraph(id: string): Promise<void> {
    await this.getGraph(id);
    if (await this.tracker.store.hasActiveExecutions(id)) {
      throw new InvalidStateError(`Graph ${id} has running executions`, ExecutionStatus.RUNNING);
    }
    await this.tracker.store.deleteGraph(id);
    this.compiled.delete(id);
  }

  /**
   * Starts an execution of a stored graph. Returns once the execution and its node states are
   * durably written (for a durable store); the nodes then run in the background.
   * @throws NotFoundError
   */
  async startExecution(
    graphId: string,
    options: StartExecutionOptions = {},
  ): Promise<{ execution: ExecutionRecord; created: boolean }> {
    this.assertRunning();
    const graph = await this.compiledGraph(graphId);
    const now = new Date();
    const execution: ExecutionRecord = {
      id: newId(),
      graphId,
      status: ExecutionStatus.PENDING,
      input: { ...(graph.definition.input ?? {}), ...(options.input ?? {}) },
      error: null,
      createdAt: now,
      startedAt: null,
      completedAt: null,
      version: 0,
      owner: this.options.instanceId,
      heartbeatAt: now,
      idempotencyKey: options.idempotencyKey ?? null,
      history: [
        {
          from: 'none',
          to: ExecutionStatus.PENDING,
          at: now,
          by: options.by ?? this.options.instanceId,
          seq: 1,
        },
      ],
    };
    const nodes = graph.nodes.map((node) => pendingNodeState(execution.id, node.id));
    const result = await this.tracker.store.createExecution(execution, nodes);
    if (result.created) this.launch(graph, result.execution, nodes);
    return result;
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

  /** Resolves with the execution's final record when it ends. @throws NotFoundError */
  async waitFor(executionId: string): Promise<Omit<ExecutionRecord, 'history'>> {
    const settled = this.settled.get(executionId);
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

  /** Cancels an active execution. @throws NotFoundError, InvalidStateError when it already ended. */
  async cancel(executionId: string, by = 'api', reason = 'cancelled by request'): Promise<void> {
    const run = this.runs.get(executionId);
    if (run) return run.cancel(by, reason);
    const record = await this.getExecution(executionId);
    throw new InvalidStateError(
      `Execution ${executionId} is ${record.status}${TERMINAL_EXECUTION_STATUSES.has(record.status) ? '' : ' on another instance'}`,
      record.status,
    );
  }

  /** Sends an external signal (e.g. an approval) to a waiting node. @throws NotFoundError, InvalidStateError */
  async signal(executionId: string, nodeId: string, payload: unknown = {}): Promise<void> {
    const run = this.runs.get(executionId);
    if (run) return run.signal(nodeId, payload);
    const record = await this.getExecution(executionId);
    throw new InvalidStateError(`Execution ${executionId} is ${record.status}`, record.status);
  }

  /**
   * Re-runs the unfinished part of an ended execution: its failed, cancelled and skipped nodes
   * go back to pending (the history says why) and run again with their whole retry policy
   * (attempt numbers go on counting); completed nodes keep their output
   * and a branch a CONDITIONAL node chose stays chosen. The execution is running again, with
   * `startedAt` set to now, once this resolves; the state change is durably written by then.
   * @throws NotFoundError; InvalidStateError unless the execution is failed or cancelled.
   */
  async retry(executionId: string, by = 'api'): Promise<Omit<ExecutionRecord, 'history'>> {
    if (this.runs.has(executionId) || this.retrying.has(executionId)) {
      throw new InvalidStateError(`Execution ${executionId} is running`, ExecutionStatus.RUNNING);
    }
    this.assertRunning();
    this.retrying.add(executionId);
    try {
      const record = await this.getExecution(executionId);
      if (record.status !== ExecutionStatus.FAILED && record.status !== ExecutionStatus.CANCELLED) {
        throw new InvalidStateError(
          `Execution ${executionId} is ${record.status}; only a failed or cancelled execution can be retried`,
          record.status,
        );
      }
      const graph = await this.compiledGraph(record.graphId);
      const nodes = await this.tracker.store.findNodeStates(executionId);
      const view = this.tracker.track(record, nodes, graph.index);
      const now = new Date();
      const reason = 'retry requested';
      this.tracker.transitionExecution(
        view,
        ExecutionStatus.RUNNING,
        {
          owner: this.options.instanceId,
          heartbeatAt: now,
          startedAt: now,
          completedAt: null,
          error: null,
        },
        by,
        reason,
      );
      // NOTE: the execution is claimed by its own conditional write before any node changes,
      // so of two instances retrying it at once exactly one goes on.
      if (!(await this.claimed(view))) {
        this.tracker.drop(view);
        throw new InvalidStateError(
          `Execution ${executionId} was retried by another instance`,
          ExecutionStatus.RUNNING,
        );
      }
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
      const restarted = { ...view.record };
      this.runView(graph, view);
      await this.tracker.flush();
      return restarted;
    } finally {
      this.retrying.delete(executionId);
    }
  }

  /** What the scheduler of this process is doing now (for stats and metrics). */
  load(): EngineLoad {
    let queuedNodes = 0;
    for (const run of this.runs.values()) queuedNodes += run.queued;
    return {
      activeExecutions: this.runs.size,
      runningNodes: this.pool.busy,
      queuedNodes,
      maxWorkers: this.options.maxWorkers,
    };
  }

  /** Writes the queued changes of `view`; false when the store refused the execution's change. */
  private async claimed(view: ExecutionView): Promise<boolean> {
    let refused = false;
    const watch = this.tracker.conflicts$.subscribe((conflict) => {
      if (conflict.executionId === view.id && conflict.nodeId === undefined) refused = true;
    });
    try {
      await this.tracker.flush();
    } finally {
      watch.unsubscribe();
    }
    return !refused;
  }

  /** Ids of executions running in this process. */
  activeExecutionIds(): string[] {
    return [...this.runs.keys()];
  }

  /**
   * Claims executions that were running when their owner died (this instance after a restart,
   * or another whose lease expired) and resumes them; interrupted nodes run again as a new attempt.
   */
  async recover(): Promise<number> {
    if (this.stopping) return 0;
    const now = new Date();
    const claimed = await this.tracker.store.claimExecutions(
      this.options.instanceId,
      new Date(now.getTime() - this.options.leaseMs),
      now,
    );
    let resumed = 0;
    for (const execution of claimed) {
      if (this.runs.has(execution.id)) continue;
      const graph = await this.compiledGraph(execution.graphId).catch(() => null);
      if (!graph) {
        this.logger.error(
          `Cannot resume execution ${execution.id}: graph ${execution.graphId} is gone`,
        );
        continue;
      }
      const nodes = await this.tracker.store.findNodeStates(execution.id);
      this.logger.log({
        executionId: execution.id,
        msg: `Resuming execution ${execution.id} (${execution.status})`,
      });
      this.launch(graph, execution, nodes);
      resumed++;
    }
    return resumed;
  }

  private launch(graph: CompiledGraph, execution: ExecutionRecord, nodes: NodeStateRecord[]): void {
    this.runView(graph, this.tracker.track(execution, nodes, graph.index));
  }

  /** @throws OrchestrationError `SHUTTING_DOWN` once shutdown began. */
  private assertRunning(): void {
    if (this.stopping) {
      throw new OrchestrationError(
        'SHUTTING_DOWN',
        'This instance is shutting down; nothing new starts here',
      );
    }
  }

  /** Gives up an execution another instance owns now: no further writes, waiters are told. */
  private release(executionId: string, reason: string): void {
    const run = this.runs.get(executionId);
    if (!run) return;
    run.abandon(reason);
    this.runs.delete(executionId);
    this.settled.delete(executionId);
    const view = this.tracker.view(executionId);
    if (view) this.tracker.drop(view);
  }

  private runView(graph: CompiledGraph, view: ExecutionView): void {
    const execution = view.record;
    const run = new ExecutionRun({
      graph,
      view,
      tracker: this.tracker,
      runner: this.runner,
      registry: this.registry,
      pool: this.pool,
      options: this.options,
    });
    this.runs.set(execution.id, run);
    // NOTE: entries are removed only if they are still this run's: a retry may have started
    // a new run of the same execution meanwhile.
    const settled = run.done.then(async (record) => {
      if (this.runs.get(execution.id) === run) this.runs.delete(execution.id);
      await this.tracker.untrack(view);
      if (this.settled.get(execution.id) === settled) this.settled.delete(execution.id);
      return record;
    });
    this.settled.set(execution.id, settled);
    if (this.stopping) run.pause();
    run.start();
  }

  private async compiledGraph(graphId: string): Promise<CompiledGraph> {
    const cached = this.compiled.get(graphId);
    if (cached) return cached;
    const record = await this.getGraph(graphId);
    const compiled = this.validator.compile(record.definition);
    this.compiled.set(graphId, compiled);
    return compiled;
  }

  private resolveStall(stall: Stall): void {
    if (stall.kind === 'orphans') {
      this.recover().catch((error: Error) =>
        this.logger.error(`Recovery sweep failed: ${error.message}`),
      );
    } else if (stall.kind === 'node-overdue') {
      this.runs.get(stall.executionId)?.expireAttempt(stall.nodeId, stall.attempt);
    } else {
      this.runs.get(stall.executionId)?.failStalled('nothing is running, ready or due for retry');
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.runs.size === 0) return;
    try {
      await this.tracker.store.heartbeat(
        this.options.instanceId,
        [...this.runs.keys()],
        new Date(),
      );
    } catch (error) {
      this.logger.error(`Lease renewal failed: ${(error as Error).message}`);
    }
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
