import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { ExecutionView, NodeView } from './execution-view';
import {
  ChangeBatch,
  EXECUTION_STORE,
  ExecutionFields,
  ExecutionRecord,
  ExecutionStore,
  NodeStateFields,
  NodeStateRecord,
  TransitionRecord,
} from './execution-store.interface';
import { StateChangeEvent } from './state-change.event';
import { assertExecutionTransition, assertNodeTransition } from './state-transitions';
import { ExecutionStatus, NodeStatus } from './status.enum';

/** Raised on `conflicts$` when the store refused a change: another writer owns the execution now. */
export interface OwnershipConflict {
  executionId: string;
  nodeId?: string;
}

/**
 * The state tracker: validates every transition against the one table, applies it to the
 * in-memory view of active executions, publishes it as an event, and writes it behind to the
 * store. All changes made in one scheduling tick go out as one batch of conditional updates;
 * one batch is in flight at a time and the next accumulates meanwhile (group commit).
 */
@Injectable()
export class StateTracker implements OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');
  private readonly views = new Map<string, ExecutionView>();
  private readonly dirtyNodes: NodeView[] = [];
  private readonly dirtyExecutions: ExecutionView[] = [];
  private readonly eventsSubject = new Subject<StateChangeEvent>();
  private readonly conflictsSubject = new Subject<OwnershipConflict>();
  private inFlight: Promise<void> | null = null;
  private scheduled = false;
  private failedBatch: ChangeBatch | null = null;
  /** Batches taken so far; each has this number while it is in flight or retried. */
  private batchesTaken = 0;
  /** Batches written so far (they are written strictly in order). */
  private batchesWritten = 0;
  private readonly barriers: { batch: number; resolve: () => void }[] = [];

  /** Every transition, as it happens. */
  readonly events$: Observable<StateChangeEvent> = this.eventsSubject.asObservable();
  /** Changes the store refused because another writer changed the document first. */
  readonly conflicts$: Observable<OwnershipConflict> = this.conflictsSubject.asObservable();

  constructor(@Inject(EXECUTION_STORE) readonly store: ExecutionStore) {}

  /** Starts tracking an execution loaded from or just written to the store. */
  track(
    execution: ExecutionRecord,
    nodes: NodeStateRecord[],
    order: Map<string, number>,
  ): ExecutionView {
    const views: NodeView[] = new Array<NodeView>(nodes.length);
    for (const node of nodes) {
      const { history: _nodeHistory, ...rest } = node;
      views[order.get(node.nodeId)!] = { ...rest, change: null };
    }
    const { history, ...record } = execution;
    const view = new ExecutionView(record, views);
    view.seq = lastSeq(history, nodes);
    this.views.set(execution.id, view);
    return view;
  }

  /** Stops tracking once everything queued for it is written. */
  async untrack(view: ExecutionView): Promise<void> {
    await this.flush();
    if (this.views.get(view.id) === view) this.views.delete(view.id);
  }

  /**
   * Forgets an execution at once, with its changes not yet written: another instance owns it
   * now (a refused write), so they could only be refused too.
   */
  drop(view: ExecutionView): void {
    if (this.views.get(view.id) === view) this.views.delete(view.id);
    let kept = 0;
    for (const node of this.dirtyNodes) {
      if (node.change?.executionId !== view.id) this.dirtyNodes[kept++] = node;
    }
    this.dirtyNodes.length = kept;
    for (const node of view.nodes) node.change = null;
    const at = this.dirtyExecutions.indexOf(view);
    if (at >= 0) this.dirtyExecutions.splice(at, 1);
    view.change = null;
  }

  /** The view of an execution active in this process, if any. */
  view(executionId: string): ExecutionView | undefined {
    return this.views.get(executionId);
  }

  /** Ids of the executions active in this process. */
  activeIds(): string[] {
    return [...this.views.keys()];
  }

  /**
   * Applies a node transition to the view, queues it for the store and publishes it.
   * @throws StateTransitionError when illegal; nothing is changed then.
   */
  transitionNode(
    view: ExecutionView,
    node: NodeView,
    to: NodeStatus,
    fields: NodeStateFields,
    by: string,
    reason?: string,
    maxAttempts?: number,
  ): void {
    const from = node.status;
    assertNodeTransition(
      `${view.id}/${node.nodeId}`,
      from,
      to,
      maxAttempts === undefined ? undefined : { made: node.attempts, max: maxAttempts },
    );
    if (!node.change) {
      node.change = {
        executionId: view.id,
        nodeId: node.nodeId,
        expected: { status: from, version: node.version },
        version: node.version,
        set: {},
        history: [],
      };
      this.dirtyNodes.push(node);
    }
    Object.assign(node, fields);
    node.status = to;
    node.version++;
    const at = new Date();
    const entry: TransitionRecord = { from, to, at, by, attempt: node.attempts };
    if (reason !== undefined) entry.reason = reason;
    const change = node.change;
    Object.assign(change.set, fields);
    change.set.status = to;
    change.version = node.version;
    change.history.push(entry);
    if (to === NodeStatus.READY) node.readyAt = at.getTime();
    this.publish(view, 'node', entry, node.nodeId, node);
  }

  /** As `transitionNode`, for the execution itself. */
  transitionExecution(
    view: ExecutionView,
    to: ExecutionStatus,
    fields: ExecutionFields,
    by: string,
    reason?: string,
  ): void {
    const record = view.record;
    const from = record.status;
    assertExecutionTransition(view.id, from, to);
    if (!view.change) {
      view.change = {
        id: view.id,
        expected: { status: from, version: record.version },
        version: record.version,
        set: {},
        history: [],
      };
      this.dirtyExecutions.push(view);
    }
    Object.assign(record, fields);
    record.status = to;
    record.version++;
    const entry: TransitionRecord = { from, to, at: new Date(), by };
    if (reason !== undefined) entry.reason = reason;
    Object.assign(view.change.set, fields);
    view.change.set.status = to;
    view.change.version = record.version;
    view.change.history.push(entry);
    this.publish(
      view,
      'execution',
      entry,
      undefined,
      from === ExecutionStatus.RUNNING ? record : undefined,
    );
  }

  /**
   * Resolves once every change queued before the call is written to the store. Changes made
   * meanwhile do not delay it, so it returns within two batch writes even under load.
   */
  flush(): Promise<void> {
    const queued = this.dirtyNodes.length > 0 || this.dirtyExecutions.length > 0;
    const batch = this.batchesTaken + (queued ? 1 : 0);
    if (batch <= this.batchesWritten) return Promise.resolve();
    if (queued) this.schedule();
    return new Promise((resolve) => this.barriers.push({ batch, resolve }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private publish(
    view: ExecutionView,
    kind: 'node' | 'execution',
    entry: TransitionRecord,
    nodeId?: string,
    timed?: { startedAt: Date | null; readyAt?: number; type?: string },
  ): void {
    this.schedule();
    entry.seq = ++view.seq;
    if (!this.eventsSubject.observed) return;
    const event: StateChangeEvent = {
      kind,
      executionId: view.id,
      graphId: view.record.graphId,
      nodeId,
      from: entry.from,
      to: entry.to,
      at: entry.at,
      by: entry.by,
      seq: entry.seq,
    };
    if (entry.reason !== undefined) event.reason = entry.reason;
    if (entry.attempt !== undefined) event.attempt = entry.attempt;
    if (timed?.type !== undefined) event.nodeType = timed.type;
    if (timed && entry.from === 'running' && timed.startedAt) {
      event.durationMs = entry.at.getTime() - timed.startedAt.getTime();
    } else if (timed?.readyAt !== undefined && entry.from === 'ready' && entry.to === 'running') {
      event.waitMs = entry.at.getTime() - timed.readyAt;
    }
    this.eventsSubject.next(event);
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // NOTE: setImmediate runs once this tick's synchronous work and microtasks are done,
    // so every transition of the tick lands in one batch. The scheduler never waits on it.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.inFlight) this.startWrite();
    });
  }

  private startWrite(): void {
    const batch = this.failedBatch ?? this.takeBatch();
    this.failedBatch = null;
    if (batch.nodes.length === 0 && batch.executions.length === 0) return;
    this.inFlight = this.write(batch).finally(() => {
      if (!this.failedBatch) this.written();
      this.inFlight = null;
      if (this.dirtyNodes.length > 0 || this.dirtyExecutions.length > 0 || this.failedBatch)
        this.schedule();
    });
  }

  private takeBatch(): ChangeBatch {
    const batch: ChangeBatch = { nodes: new Array(this.dirtyNodes.length), executions: [] };
    for (let i = 0; i < this.dirtyNodes.length; i++) {
      const node = this.dirtyNodes[i];
      batch.nodes[i] = node.change!;
      node.change = null;
    }
    this.dirtyNodes.length = 0;
    for (const view of this.dirtyExecutions) {
      batch.executions.push(view.change!);
      view.change = null;
    }
    this.dirtyExecutions.length = 0;
    if (batch.nodes.length > 0 || batch.executions.length > 0) this.batchesTaken++;
    return batch;
  }

  private written(): void {
    this.batchesWritten++;
    for (let i = this.barriers.length - 1; i >= 0; i--) {
      if (this.barriers[i].batch > this.batchesWritten) continue;
      this.barriers[i].resolve();
      this.barriers.splice(i, 1);
    }
  }

  private async write(batch: ChangeBatch): Promise<void> {
    try {
      const { conflicts } = await this.store.apply(batch);
      for (const conflict of conflicts) {
        this.logger.error(
          `Store refused a change of ${conflict.executionId}${conflict.nodeId ? `/${conflict.nodeId}` : ''}: another writer changed it`,
        );
        this.conflictsSubject.next(conflict);
      }
    } catch (error) {
      // NOTE: the same batch is retried before anything newer: a change already applied
      // by a partial write is recognised by its version and is not a conflict.
      this.failedBatch = batch;
      this.logger.error(
        `Writing ${batch.nodes.length + batch.executions.length} state changes failed; retrying: ${(error as Error).message}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 500).unref());
    }
  }
}

/** The highest sequence number in the stored histories (entries written before `seq` existed count by position). */
function lastSeq(history: TransitionRecord[], nodes: NodeStateRecord[]): number {
  let count = history.length;
  let max = 0;
  for (const entry of history) if (entry.seq !== undefined && entry.seq > max) max = entry.seq;
  for (const node of nodes) {
    count += node.history.length;
    for (const entry of node.history)
      if (entry.seq !== undefined && entry.seq > max) max = entry.seq;
  }
  return Math.max(max, count);
}
