import {
  GraphExecutionHalt,
  InvalidStateError,
  NodeActionRefusedError,
  NodeExecutionError,
  NodeTimeoutError,
  NotFoundError,
  OrchestrationError,
  OrchestrationStallError,
} from '../errors';
import { CompiledGraph } from '../graph/compiled-graph';
import { RetryPolicy } from '../graph/graph-definition.interface';
import { NodeHandlerRegistry, RegisteredNodeHandler } from '../node-runner/node-handler.registry';
import { NodeRunnerService } from '../node-runner/node-runner.service';
import { AttemptOutcome } from '../node-runner/strategies/execution-strategy.interface';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  ErrorInfo,
  ExecutionRecord,
  NodeStateFields,
} from '../state-tracker/execution-record.interface';
import { ExecutionView, NodeView } from '../state-tracker/execution-view';
import { deadlineDates } from '../state-tracker/shared-date';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { ExecutionStatus, NodeStatus, TERMINAL_NODE_STATUSES } from '../state-tracker/status.enum';
import { AttemptContext } from './attempt-context';
import { normalizeOutput, toErrorInfo } from './attempt-result';
import { DependencyGate, EdgeOutcome } from './dependency-gate';
import { fencingToken } from './fencing-token';
import { LeaseState } from './lease.state';
import { journalNodeAction, NodeAction, operatorAction, planNodeAction } from './node-action';
import { retryDelayMs } from './retry-backoff';
import { SignalBox } from './signal-box';
import { SlotConsumer, WorkerPool } from './worker-pool';

/** What an `ExecutionRun` needs from the engine. */
export interface RunDependencies {
  graph: CompiledGraph;
  view: ExecutionView;
  tracker: StateTracker;
  runner: NodeRunnerService;
  registry: NodeHandlerRegistry;
  pool: WorkerPool;
  options: ResolvedOrchestrationOptions;
  /** Start a handler only once its attempt is stored (see `Durability`). */
  durable: boolean;
  /** This instance's lease: no handler starts while it is stale. */
  lease: LeaseState;
  /** Called instead of a launch when the lease went stale: the run is to be let go of. */
  onStaleLease(executionId: string): void;
}

/** Nodes started in one go before the scheduler yields to I/O. */
const STARTS_PER_TURN = 1024;

/**
 * Schedules one execution in this process. Event-driven: a node's completion updates its
 * dependents' gates and starts whatever became ready in the same call stack, with no timer or
 * polling in between. In durable mode each handler starts once its attempt is in the journal,
 * which is then also where its dependencies' completions are: one page carries a whole wave.
 */
export class ExecutionRun implements SlotConsumer {
  /**
   * Resolves with the final execution record (without history) when the execution ends, or with
   * its last known (non-terminal) record when it leaves this process (`abandon`).
   */
  readonly done: Promise<Omit<ExecutionRecord, 'history'>>;
  private resolveDone!: (record: Omit<ExecutionRecord, 'history'>) => void;
  private readonly graph: CompiledGraph;
  private readonly view: ExecutionView;
  private readonly nodes: NodeView[];
  private readonly gate: DependencyGate;
  private readonly handlers: (RegisteredNodeHandler | undefined)[];
  private readonly controllers: (AbortController | undefined)[];
  private readonly retryDue: Uint8Array;
  /** 1 for a QUEUED node: it runs on a worker, so it takes no slot here. */
  private readonly remote: Uint8Array;
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly waitTimers = new Map<number, NodeJS.Timeout>();
  private readonly signals = new SignalBox();
  private readonly ready: number[] = [];
  private readonly settled: { i: number; outcome: EdgeOutcome; keep?: Set<string> }[] = [];
  private readonly maxParallelism: number;
  private readonly by: string;
  private readyHead = 0;
  private running = 0;
  /** Attempts running in this process (not QUEUED): bounded by maxParallelism and the pool. */
  private local = 0;
  private terminal = 0;
  private failures: string[] = [];
  private pumping = false;
  private draining = false;
  private stopping: { kind: 'cancel' | 'halt'; error: OrchestrationError; by: string } | null =
    null;
  private timers: NodeJS.Timeout[] = [];
  private finished = false;
  private paused = false;

  constructor(private readonly deps: RunDependencies) {
    this.graph = deps.graph;
    this.view = deps.view;
    this.nodes = deps.view.nodes;
    this.by = deps.options.instanceId;
    const n = this.graph.size;
    this.handlers = this.graph.nodes.map((node) => deps.registry.get(node.type));
    for (let i = 0; i < n; i++) this.nodes[i].type = this.graph.nodes[i].type;
    this.gate = new DependencyGate(
      this.graph,
      (i) => this.graph.nodes[i].runWhen ?? this.handlers[i]?.runWhen ?? 'allSucceeded',
    );
    this.controllers = new Array(n);
    this.retryDue = new Uint8Array(n);
    this.remote = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (this.graph.nodes[i].strategy === 'QUEUED') this.remote[i] = 1;
    this.maxParallelism =
      this.graph.definition.maxParallelism ?? deps.options.defaultMaxParallelism;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** The execution id. */
  get id(): string {
    return this.view.id;
  }

  /** Nodes ready to start that wait for a worker slot (or for this execution's parallelism). */
  get queued(): number {
    return this.ready.length - this.readyHead;
  }

  /** Whether it ended or left this process. */
  get ended(): boolean {
    return this.finished;
  }

  /** Starts (or, after a restart or a claim, resumes) the execution from the states in its view. */
  start(): void {
    const now = Date.now();
    if (this.view.record.status === ExecutionStatus.PENDING) {
      this.deps.tracker.transitionExecution(this.view, ExecutionStatus.RUNNING, {}, this.by);
    }
    const unknown = [
      ...new Set(this.graph.nodes.filter((_, i) => !this.handlers[i]).map((n) => n.type)),
    ];
    if (unknown.length > 0) {
      return this.failNow(
        new OrchestrationError(
          'NODE_TYPE_UNKNOWN',
          `node type(s) not registered in this process: ${unknown.join(', ')}`,
        ),
      );
    }
    const timeoutMs = this.graph.definition.timeoutMs;
    if (timeoutMs) {
      const left = this.view.record.startedAt!.getTime() + timeoutMs - now;
      this.timers.push(
        setTimeout(() => this.halt(`execution timed out after ${timeoutMs} ms`), Math.max(0, left)),
      );
    }
    for (let i = 0; i < this.nodes.length; i++) this.resumeNode(i, now);
    this.drain();
    for (let i = 0; i < this.nodes.length; i++) {
      if (this.nodes[i].status === NodeStatus.PENDING && this.gate.isFree(i)) this.makeReady(i);
    }
    this.pump();
    this.checkFinished();
  }

  /** Cancels: aborts running nodes (grace period, then recorded as cancelled), starts nothing but cleanup. */
  cancel(by: string, reason = 'cancelled'): void {
    if (this.finished)
      throw new InvalidStateError(
        `Execution ${this.id} is ${this.view.record.status}`,
        this.view.record.status,
      );
    this.stop('cancel', new OrchestrationError('EXECUTION_CANCELLED', reason), by);
  }

  /** Halts after a critical failure or the execution timeout; the execution ends failed. */
  halt(reason: string, nodeId?: string): void {
    if (!this.finished) this.stop('halt', new GraphExecutionHalt(reason, nodeId), this.by);
  }

  /** Times out an attempt that outlived its deadline and its handler's grace (found by the stall detector). */
  expireAttempt(nodeId: string, attempt: number): void {
    const i = this.graph.index.get(nodeId);
    if (i === undefined) return;
    const controller = this.controllers[i];
    if (!this.endAttempt(i, attempt)) return;
    const error = new NodeTimeoutError(
      nodeId,
      this.graph.nodes[i].timeoutMs ?? this.deps.options.defaultNodeTimeoutMs,
    );
    controller?.abort(error);
    this.fail(i, error);
    this.pump();
  }

  /** Fails an execution that can make no progress (found by the stall detector). */
  failStalled(detail: string): void {
    if (this.finished) return;
    this.stop('halt', new OrchestrationStallError(this.id, detail), 'stall-detector');
    this.checkFinished();
  }

  /**
   * Delivers an external signal to a node: recorded in the journal first, so it is kept whether
   * the node waits already, waits later, or the execution moves to another instance meanwhile.
   * @throws NotFoundError, InvalidStateError when the node has ended.
   */
  signal(nodeId: string, payload: unknown, by: string, reason?: string): void {
    const i = this.graph.index.get(nodeId);
    if (i === undefined) throw new NotFoundError('node', nodeId);
    const node = this.nodes[i];
    if (
      this.finished ||
      (TERMINAL_NODE_STATUSES.has(node.status) && node.status !== NodeStatus.FAILED)
    ) {
      throw new InvalidStateError(
        `Node ${nodeId} cannot take a signal: it is ${node.status}`,
        node.status,
      );
    }
    const signal = { payload, at: new Date(), by, ...(reason !== undefined ? { reason } : {}) };
    this.deps.tracker.record(this.view, {
      kind: 'signal',
      nodeId,
      payload,
      by,
      ...(reason !== undefined ? { reason } : {}),
    });
    node.signal = signal;
    if (node.status === NodeStatus.WAITING) {
      clearTimeout(this.waitTimers.get(i));
      this.waitTimers.delete(i);
      this.transition(
        i,
        NodeStatus.READY,
        { deadlineAt: null },
        reason ?? `signal from ${by}`,
        0,
        by,
      );
      this.ready.push(i);
      this.pump();
    } else {
      this.signals.deliver(i, payload);
    }
  }

  /**
   * Applies an operator's action on one node (see `NodeAction`): journals its transitions, then
   * lets the dependency rules decide again for every pending node whose dependencies changed,
   * as they would have had the node ended that way. Nodes reset to pending run again after it.
   * @throws NotFoundError; NodeActionRefusedError when the node's status does not allow it, a
   * node downstream still runs (a retry with `downstream`), or the execution is stopping.
   */
  applyNodeAction(action: NodeAction): void {
    const i = this.graph.index.get(action.nodeId);
    if (i === undefined) throw new NotFoundError('node', action.nodeId);
    const status = this.nodes[i].status;
    const refuse = (why: string) =>
      new NodeActionRefusedError(action.kind, action.nodeId, status, this.view.record.status, why);
    if (this.finished) throw refuse(`the execution is ${this.view.record.status}`);
    if (this.stopping) throw refuse(`the execution is stopping: ${this.stopping.error.message}`);
    const plan = planNodeAction(this.graph, (j) => this.nodes[j].status, action);
    if ('refusal' in plan) throw refuse(plan.refusal);
    const changed = [i, ...plan.reset];
    // NOTE: one page holds the action and what the scheduler does at once because of it.
    this.deps.tracker.together(this.view, () => {
      for (const j of changed) this.unsettle(j);
      journalNodeAction(this.deps.tracker, this.view, i, plan.reset, action);
      for (const j of changed) {
        if (!TERMINAL_NODE_STATUSES.has(this.nodes[j].status)) continue;
        this.terminal++;
      }
      this.decideAgain(changed);
      this.pump();
      this.checkFinished();
    });
  }

  /** Starts no further node (shutdown); what is running finishes and is recorded as usual. */
  pause(): void {
    this.paused = true;
  }

  /**
   * Drops the execution without further writes; `done` resolves with the last known record
   * (still `running`: it goes on elsewhere, or after a restart): shutdown, or another instance owns it now.
   */
  abandon(reason: string): void {
    // NOTE: resolved, not rejected: a caller that ignores `done` must not crash the process.
    if (!this.finished) this.resolveDone({ ...this.view.record });
    this.finished = true;
    this.abandonAttempts(reason);
    this.clearTimers();
    this.deps.pool.forget(this);
  }

  /** Aborts every running handler and gives its slot back; nothing is recorded for them. */
  private abandonAttempts(reason: string): void {
    for (let i = 0; i < this.controllers.length; i++) {
      const c = this.controllers[i];
      if (!c) continue;
      this.controllers[i] = undefined;
      c.abort(new NodeExecutionError(reason, { code: 'EXECUTION_ABANDONED' }));
      if (!this.remote[i]) this.deps.pool.release();
    }
    this.running = 0;
    this.local = 0;
  }

  /** Starts ready nodes while this execution and the process have capacity. */
  pump(): void {
    if (this.pumping || this.finished || this.paused) return;
    this.pumping = true;
    try {
      let started = 0;
      while (this.readyHead < this.ready.length) {
        const i = this.ready[this.readyHead];
        const status = this.nodes[i].status;
        if (status !== NodeStatus.READY && !(status === NodeStatus.FAILED && this.retryDue[i])) {
          this.readyHead++;
          continue;
        }
        if (status === NodeStatus.READY && this.awaitsSignal(i)) {
          this.readyHead++;
          this.startWaiting(i);
          continue;
        }
        // NOTE: a QUEUED node runs on a worker: its pool's workers bound it, not this process.
        if (
          !this.remote[i] &&
          (this.local >= this.maxParallelism || !this.deps.pool.tryAcquire(this))
        )
          break;
        this.readyHead++;
        this.startAttempt(i);
        if (++started === STARTS_PER_TURN && this.readyHead < this.ready.length) {
          setImmediate(() => this.pump());
          break;
        }
      }
      if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
        this.ready.splice(0, this.readyHead);
        this.readyHead = 0;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** A durable wait for a signal: no slot, no attempt; it fails after the node's `timeoutMs`. */
  private startWaiting(i: number): void {
    const timeoutMs = this.graph.nodes[i].timeoutMs ?? this.deps.options.defaultNodeTimeoutMs;
    const deadlineAt = new Date(Date.now() + timeoutMs);
    this.transition(i, NodeStatus.WAITING, { deadlineAt }, 'waiting for a signal');
    this.scheduleWaitTimeout(i, timeoutMs);
  }

  private scheduleWaitTimeout(i: number, delayMs: number): void {
    this.waitTimers.set(
      i,
      setTimeout(
        () => {
          this.waitTimers.delete(i);
          if (this.finished || this.nodes[i].status !== NodeStatus.WAITING) return;
          const timeoutMs = this.graph.nodes[i].timeoutMs ?? this.deps.options.defaultNodeTimeoutMs;
          this.fail(
            i,
            new NodeExecutionError(
              `Node ${this.graph.nodes[i].id} got no signal within ${timeoutMs} ms`,
              { code: 'NODE_TIMEOUT', retryable: false },
            ),
          );
          this.pump();
        },
        Math.max(0, delayMs),
      ),
    );
  }

  private awaitsSignal(i: number): boolean {
    const check = this.handlers[i]!.awaitsSignal;
    return check !== undefined && !this.nodes[i].signal && check(this.graph.nodes[i].config ?? {});
  }

  private resumeNode(i: number, now: number): void {
    const node = this.nodes[i];
    switch (node.status) {
      case NodeStatus.RUNNING:
        // NOTE: a QUEUED attempt goes on on its worker: its result is waited for again.
        if (this.remote[i] && node.fencingToken != null) {
          this.adopt(i, node.fencingToken, now);
          break;
        }
        // NOTE: an interrupted attempt counts: with none left, the node fails.
        if (node.attempts >= this.maxAttempts(i)) {
          this.failures.push(this.graph.nodes[i].id);
          this.settle(
            i,
            NodeStatus.FAILED,
            'failed',
            {
              error: {
                code: 'ATTEMPT_INTERRUPTED',
                message: `attempt ${node.attempts} was interrupted and no attempts are left`,
              },
              nextAttemptAt: null,
            },
            `recovered: attempt ${node.attempts} was interrupted; no attempts left`,
          );
        } else {
          this.transition(
            i,
            NodeStatus.READY,
            { deadlineAt: null },
            `recovered: attempt ${node.attempts} was interrupted`,
          );
          this.ready.push(i);
        }
        break;
      case NodeStatus.READY:
        this.ready.push(i);
        break;
      case NodeStatus.WAITING:
        if (node.signal) {
          this.transition(i, NodeStatus.READY, { deadlineAt: null }, 'signal received');
          this.ready.push(i);
        } else {
          this.scheduleWaitTimeout(i, (node.deadlineAt?.getTime() ?? now) - now);
        }
        break;
      case NodeStatus.FAILED:
        if (node.nextAttemptAt && node.attempts < this.maxAttempts(i))
          this.scheduleRetry(i, node.nextAttemptAt.getTime() - now);
        else this.markTerminal(i, 'failed');
        break;
      case NodeStatus.COMPLETED:
        this.markTerminal(i, node.status, node.selected ? new Set(node.selected) : undefined);
        break;
      case NodeStatus.SKIPPED:
      case NodeStatus.CANCELLED:
        this.markTerminal(i, node.status);
        break;
      default:
        break;
    }
  }

  private startAttempt(i: number): void {
    const node = this.nodes[i];
    const def = this.graph.nodes[i];
    const timeoutMs = def.timeoutMs ?? this.deps.options.defaultNodeTimeoutMs;
    const attempt = node.attempts + 1;
    const retry = node.status === NodeStatus.FAILED;
    const token = fencingToken(this.view.record.epoch, this.view.seq + 1);
    this.retryDue[i] = 0;
    this.deps.tracker.transitionNode(
      this.view,
      node,
      NodeStatus.RUNNING,
      { deadlineAt: deadlineDates.at(Date.now() + timeoutMs), fencingToken: token },
      this.by,
      retry ? `retry, attempt ${attempt}` : undefined,
      retry ? { maxAttempts: this.maxAttempts(i) } : {},
    );
    const controller = new AbortController();
    this.controllers[i] = controller;
    this.running++;
    if (!this.remote[i]) this.local++;
    if (this.deps.durable) {
      this.deps.tracker.afterStored(this.view, () =>
        this.launch(i, attempt, token, controller, timeoutMs),
      );
    } else {
      this.launch(i, attempt, token, controller, timeoutMs);
    }
  }

  /**
   * Waits again for a QUEUED attempt that a previous owner started (after a claim or a restart):
   * no new attempt and no new entry; its job (same token, same id) is still queued or running,
   * or has finished, and its result is recorded here. A job Redis lost is queued again.
   */
  private adopt(i: number, token: number, now: number): void {
    const node = this.nodes[i];
    const controller = new AbortController();
    this.controllers[i] = controller;
    this.running++;
    const left = (node.deadlineAt?.getTime() ?? now) - now;
    this.launch(i, node.attempts, token, controller, Math.max(1, left));
  }

  private launch(
    i: number,
    attempt: number,
    token: number,
    controller: AbortController,
    timeoutMs: number,
  ): void {
    if (this.finished || this.controllers[i] !== controller) return;
    // NOTE: a process stopped or starved past its lease may have lost the execution: it starts
    // nothing until a claim says it still owns it.
    if (!this.deps.lease.fresh()) return this.deps.onStaleLease(this.id);
    const def = this.graph.nodes[i];
    if (controller.signal.aborted) {
      return this.onFailure(i, attempt, controller.signal.reason as NodeExecutionError);
    }
    const context = new AttemptContext(
      this.id,
      this.view.record.graphId,
      def,
      def.config ?? {},
      attempt,
      token,
      controller.signal,
      this.view.record.input,
      () => this.upstreamOf(i),
      () => this.waitForSignal(i, controller.signal),
      () => this.completedDependenciesOf(i),
    );
    let outcome: AttemptOutcome | Promise<AttemptOutcome>;
    try {
      outcome = this.deps.runner.run(this.handlers[i]!, context, controller, timeoutMs);
    } catch (error) {
      this.onFailure(i, attempt, error as NodeExecutionError);
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (o) => this.onOutcome(i, attempt, o),
        (e: NodeExecutionError) => this.onFailure(i, attempt, e),
      );
    } else {
      this.onOutcome(i, attempt, outcome);
    }
  }

  private waitForSignal(i: number, signal: AbortSignal): Promise<unknown> {
    const stored = this.nodes[i].signal;
    return stored ? Promise.resolve(stored.payload) : this.signals.wait(i, signal);
  }

  private onOutcome(i: number, attempt: number, outcome: AttemptOutcome): void {
    if (!this.endAttempt(i, attempt)) return;
    if (outcome.kind === 'skipped') {
      this.settle(i, NodeStatus.SKIPPED, 'skipped', {}, outcome.reason);
    } else {
      const result = outcome.result;
      const next = result?.next;
      const bad = next?.find((id) => !this.isDependent(i, id));
      if (bad !== undefined) {
        this.fail(
          i,
          new NodeExecutionError(
            `next names ${bad}, which does not depend on ${this.graph.nodes[i].id}`,
            { retryable: false },
          ),
        );
        return this.pump();
      }
      const output = normalizeOutput(result?.output, this.deps.options.maxOutputBytes);
      if (!output.ok) {
        this.fail(i, output.error);
        return this.pump();
      }
      const fields: NodeStateFields = { output: output.output };
      if (next) fields.selected = next;
      this.settle(
        i,
        NodeStatus.COMPLETED,
        'completed',
        fields,
        undefined,
        next && new Set(next),
        output.bytes,
      );
    }
    this.pump();
  }

  private onFailure(i: number, attempt: number, error: NodeExecutionError): void {
    if (!this.endAttempt(i, attempt)) return;
    this.fail(i, error);
    this.pump();
  }

  private fail(i: number, error: NodeExecutionError): void {
    const node = this.nodes[i];
    const { info, bytes } = toErrorInfo(error, this.deps.options.maxErrorBytes);
    // NOTE: cleanup (allDone) nodes keep their retry policy during a cancel or halt.
    if (this.stopping && !this.gate.runsRegardless(i)) {
      this.transition(
        i,
        NodeStatus.CANCELLED,
        { error: info },
        this.stopping.error.message,
        bytes,
        this.stopping.by,
      );
      this.settled.push({ i, outcome: 'cancelled' });
      this.terminal++;
      this.drain();
      return;
    }
    const max = this.maxAttempts(i);
    if (error.retryable !== false && node.attempts < max) {
      const delay = retryDelayMs(this.retryPolicy(i), node.attempts);
      const nextAttemptAt = new Date(Date.now() + delay);
      this.transition(
        i,
        NodeStatus.FAILED,
        { error: info, nextAttemptAt },
        `attempt ${node.attempts}/${max} failed: ${info.message}; retry in ${delay} ms`,
        bytes,
      );
      this.scheduleRetry(i, delay);
      return;
    }
    this.failures.push(this.graph.nodes[i].id);
    this.settle(
      i,
      NodeStatus.FAILED,
      'failed',
      { error: info, nextAttemptAt: null },
      info.message,
      undefined,
      bytes,
    );
    if (this.graph.nodes[i].critical)
      this.halt(
        `critical node ${this.graph.nodes[i].id} failed: ${info.message}`,
        this.graph.nodes[i].id,
      );
  }

  private scheduleRetry(i: number, delayMs: number): void {
    this.retryTimers.set(
      i,
      setTimeout(
        () => {
          this.retryTimers.delete(i);
          this.retryDue[i] = 1;
          this.ready.push(i);
          this.pump();
        },
        Math.max(0, delayMs),
      ),
    );
  }

  /** Frees the slot of an attempt; false when the attempt is stale (already settled or superseded). */
  private endAttempt(i: number, attempt: number): boolean {
    if (
      this.finished ||
      !this.controllers[i] ||
      this.nodes[i].attempts !== attempt ||
      this.nodes[i].status !== NodeStatus.RUNNING
    )
      return false;
    this.controllers[i] = undefined;
    this.running--;
    this.signals.clear(i);
    if (!this.remote[i]) {
      this.local--;
      this.deps.pool.release();
    }
    return true;
  }

  private makeReady(i: number): void {
    if (this.stopping && !this.gate.runsRegardless(i)) {
      this.stopPending(i);
      return;
    }
    this.transition(i, NodeStatus.READY, {});
    this.ready.push(i);
  }

  private settle(
    i: number,
    status: NodeStatus,
    outcome: EdgeOutcome,
    fields: NodeStateFields,
    reason?: string,
    keep?: Set<string>,
    payloadBytes = 0,
  ): void {
    this.transition(i, status, fields, reason, payloadBytes);
    this.settled.push({ i, outcome, keep });
    this.terminal++;
    this.drain();
  }

  private markTerminal(i: number, outcome: EdgeOutcome, keep?: Set<string>): void {
    if (outcome === 'failed') this.failures.push(this.graph.nodes[i].id);
    this.settled.push({ i, outcome, keep });
    this.terminal++;
  }

  /** Propagates settled nodes to their dependents iteratively (a 10,000-long skip cascade uses no stack). */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.settled.length > 0) {
        const { i, outcome, keep } = this.settled.pop()!;
        const id = this.graph.nodes[i].id;
        for (const d of this.graph.dependentsOf(i)) {
          const edge: EdgeOutcome =
            keep && !keep.has(this.graph.nodes[d].id) ? 'deselected' : outcome;
          const verdict = this.gate.record(d, edge);
          if (this.nodes[d].status !== NodeStatus.PENDING || verdict === 'wait') continue;
          if (verdict === 'ready') this.makeReady(d);
          else this.skip(d, skipReasonOf(id, edge));
        }
      }
    } finally {
      this.draining = false;
    }
    this.checkFinished();
  }

  private skip(i: number, reason: string): void {
    this.settle(i, NodeStatus.SKIPPED, 'skipped', {}, reason);
  }

  private stop(kind: 'cancel' | 'halt', error: OrchestrationError, by: string): void {
    if (this.stopping) return;
    this.stopping = { kind, error, by };
    for (let i = 0; i < this.nodes.length; i++) {
      const status = this.nodes[i].status;
      if (
        (status === NodeStatus.PENDING ||
          status === NodeStatus.READY ||
          status === NodeStatus.WAITING) &&
        !this.gate.runsRegardless(i)
      )
        this.stopPending(i, by);
    }
    for (const [i, timer] of this.retryTimers) {
      if (this.gate.runsRegardless(i)) continue;
      clearTimeout(timer);
      this.retryTimers.delete(i);
      this.markTerminal(i, 'failed');
    }
    // NOTE: running cleanup nodes are left to finish: they are what a cancel still runs.
    const running = this.controllers.flatMap((c, i) =>
      c && !this.gate.runsRegardless(i) ? [i] : [],
    );
    for (const i of running)
      this.controllers[i]!.abort(
        new NodeExecutionError(error.message, { retryable: false, code: error.code }),
      );
    if (running.length > 0) {
      this.timers.push(
        setTimeout(() => {
          for (const i of running) {
            if (this.endAttempt(i, this.nodes[i].attempts)) {
              this.settle(
                i,
                NodeStatus.CANCELLED,
                'cancelled',
                {},
                `${error.message}; did not stop within ${this.deps.options.abortGraceMs} ms`,
              );
            }
          }
          this.pump();
        }, this.deps.options.abortGraceMs),
      );
    }
    this.drain();
  }

  private stopPending(i: number, by = this.by): void {
    clearTimeout(this.waitTimers.get(i));
    this.waitTimers.delete(i);
    const cancel = this.stopping!.kind === 'cancel';
    const status = cancel ? NodeStatus.CANCELLED : NodeStatus.SKIPPED;
    this.deps.tracker.transitionNode(
      this.view,
      this.nodes[i],
      status,
      {},
      by,
      this.stopping!.error.message,
    );
    this.settled.push({ i, outcome: cancel ? 'cancelled' : 'skipped' });
    this.terminal++;
  }

  /**
   * Ends the execution at once with `error`, starting nothing: unfinished nodes are skipped (a
   * running one fails) and the execution fails. For an execution that cannot run: node types not
   * registered here, or a journal page the store refused for good.
   */
  failNow(error: OrchestrationError): void {
    if (this.finished) return;
    const tracker = this.deps.tracker;
    if (this.view.record.status === ExecutionStatus.PENDING) {
      tracker.transitionExecution(this.view, ExecutionStatus.RUNNING, {}, this.by);
    }
    const info: ErrorInfo = { code: error.code, message: error.message };
    for (let i = 0; i < this.nodes.length; i++) {
      const status = this.nodes[i].status;
      if (status === NodeStatus.RUNNING) {
        this.transition(i, NodeStatus.FAILED, { nextAttemptAt: null, error: info }, error.message);
      } else if (!TERMINAL_NODE_STATUSES.has(status)) {
        this.transition(i, NodeStatus.SKIPPED, {}, error.message);
      }
    }
    this.abandonAttempts(error.message);
    this.finished = true;
    this.clearTimers();
    this.deps.pool.forget(this);
    tracker.transitionExecution(
      this.view,
      ExecutionStatus.FAILED,
      { error: info },
      this.by,
      error.message,
    );
    this.resolveDone({ ...this.view.record });
  }

  private checkFinished(): void {
    if (
      this.finished ||
      this.draining ||
      this.terminal < this.nodes.length ||
      this.running > 0 ||
      this.retryTimers.size > 0
    )
      return;
    this.finished = true;
    this.clearTimers();
    this.deps.pool.forget(this);
    let status = ExecutionStatus.COMPLETED;
    let error: ErrorInfo | null = null;
    if (this.stopping?.kind === 'cancel') {
      status = ExecutionStatus.CANCELLED;
      error = { code: this.stopping.error.code, message: this.stopping.error.message };
    } else if (this.stopping) {
      status = ExecutionStatus.FAILED;
      error = { code: this.stopping.error.code, message: this.stopping.error.message };
    } else if (this.failures.length > 0) {
      status = ExecutionStatus.FAILED;
      error = {
        code: 'NODES_FAILED',
        message: `${this.failures.length} node(s) failed: ${this.failures.slice(0, 10).join(', ')}`,
      };
    }
    const cancel = this.stopping?.kind === 'cancel' ? this.stopping : null;
    this.deps.tracker.transitionExecution(
      this.view,
      status,
      cancel
        ? { error, lastAction: operatorAction('cancel', cancel.by, cancel.error.message) }
        : { error },
      cancel ? cancel.by : this.by,
      error?.message,
    );
    this.resolveDone({ ...this.view.record });
  }

  private transition(
    i: number,
    to: NodeStatus,
    fields: NodeStateFields,
    reason?: string,
    payloadBytes = 0,
    by = this.by,
  ): void {
    this.deps.tracker.transitionNode(
      this.view,
      this.nodes[i],
      to,
      fields,
      by,
      reason,
      {},
      payloadBytes,
    );
  }

  private retryPolicy(i: number): RetryPolicy {
    const own = this.graph.nodes[i].retry;
    return own ? { ...this.deps.options.defaultRetry, ...own } : this.deps.options.defaultRetry;
  }

  private maxAttempts(i: number): number {
    const perRun =
      this.graph.nodes[i].retry?.maxAttempts ?? this.deps.options.defaultRetry.maxAttempts;
    // NOTE: after an operator's retry the node gets its whole retry policy again.
    return (this.nodes[i].attemptBase ?? 0) + perRun;
  }

  private isDependent(i: number, id: string): boolean {
    const d = this.graph.index.get(id);
    return d !== undefined && this.graph.dependentsOf(i).includes(d);
  }

  private completedDependenciesOf(i: number): string[] {
    const ids: string[] = [];
    for (const d of this.graph.depsOf(i)) {
      if (this.nodes[d].status === NodeStatus.COMPLETED) ids.push(this.graph.nodes[d].id);
    }
    return ids;
  }

  private upstreamOf(i: number): Record<string, unknown> {
    const upstream: Record<string, unknown> = {};
    for (const d of this.graph.depsOf(i)) upstream[this.graph.nodes[d].id] = this.nodes[d].output;
    return upstream;
  }

  /** Takes a node out of the scheduler's counts and timers before an operator changes it. */
  private unsettle(i: number): void {
    const status = this.nodes[i].status;
    const awaitingRetry = this.retryTimers.has(i) || this.retryDue[i] === 1;
    if (TERMINAL_NODE_STATUSES.has(status) && !awaitingRetry) this.terminal--;
    if (status === NodeStatus.FAILED && !awaitingRetry) {
      const id = this.graph.nodes[i].id;
      this.failures = this.failures.filter((f) => f !== id);
    }
    clearTimeout(this.retryTimers.get(i));
    this.retryTimers.delete(i);
    this.retryDue[i] = 0;
    clearTimeout(this.waitTimers.get(i));
    this.waitTimers.delete(i);
  }

  /**
   * Counts again the dependencies of every pending node among `changed` and their dependents,
   * then readies or skips those the rules now decide (a skip propagates as usual).
   */
  private decideAgain(changed: readonly number[]): void {
    const candidates = new Set<number>();
    for (const j of changed) {
      candidates.add(j);
      for (const d of this.graph.dependentsOf(j)) candidates.add(d);
    }
    const pending = [...candidates].filter((j) => this.nodes[j].status === NodeStatus.PENDING);
    for (const j of pending) this.gate.recount(j, (p) => this.edgeOf(p, j));
    for (const j of pending) {
      if (this.nodes[j].status !== NodeStatus.PENDING) continue;
      const verdict = this.gate.verdict(j);
      if (verdict === 'ready') this.makeReady(j);
      else if (verdict === 'skip') this.skip(j, this.skipReason(j));
    }
  }

  /** How dependency `p` ended as dependent `d` sees it; null while it has not. */
  private edgeOf(p: number, d: number): EdgeOutcome | null {
    const node = this.nodes[p];
    if (!TERMINAL_NODE_STATUSES.has(node.status)) return null;
    if (node.status === NodeStatus.FAILED && (this.retryTimers.has(p) || this.retryDue[p])) {
      return null;
    }
    if (node.status !== NodeStatus.COMPLETED) return node.status as EdgeOutcome;
    const selected = node.selected;
    return selected && !selected.includes(this.graph.nodes[d].id) ? 'deselected' : 'completed';
  }

  private skipReason(d: number): string {
    for (const p of this.graph.depsOf(d)) {
      const edge = this.edgeOf(p, d);
      if (edge !== null && edge !== 'completed') return skipReasonOf(this.graph.nodes[p].id, edge);
    }
    return 'no dependency completed';
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.retryTimers.values()) clearTimeout(t);
    for (const t of this.waitTimers.values()) clearTimeout(t);
    this.timers = [];
    this.retryTimers.clear();
    this.waitTimers.clear();
  }
}

/** Why a node is skipped because of how its dependency `id` ended (`edge`, not completed). */
function skipReasonOf(id: string, edge: EdgeOutcome): string {
  return edge === 'deselected' ? `not selected by ${id}` : `dependency ${id} ${edge}`;
}
