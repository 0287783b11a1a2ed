import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import {
  ExecutionFields,
  ExecutionRecord,
  NodeStateFields,
  NodeStateRecord,
} from './execution-record.interface';
import { ExecutionView, JournalPosition, NodeView } from './execution-view';
import { ExecutionFold } from './journal/execution-fold';
import {
  ClaimEntry,
  CommandEntry,
  JournalEntry,
  SignalEntry,
} from './journal/journal-entry.interface';
import {
  applyImpliedEndFields,
  applyImpliedExecutionFields,
  applyImpliedNodeFields,
} from './journal/implied-fields';
import { JournalLoss, JournalWriter } from './journal/journal.writer';
import { entryDates } from './shared-date';
import { StateChangeEvent } from './state-change.event';
import {
  assertExecutionTransition,
  assertNodeTransition,
  TransitionCheck,
} from './state-transitions';
import { ExecutionStatus, NodeStatus, TERMINAL_EXECUTION_STATUSES } from './status.enum';

/** Bytes a journal entry takes besides its payload (output, error), roughly. */
const ENTRY_BYTES = 160;

/** An entry that is not a transition, as handed to `StateTracker.record()`. */
export type NoteEntry =
  | Omit<ClaimEntry, 'seq' | 'at'>
  | Omit<SignalEntry, 'seq' | 'at'>
  | Omit<CommandEntry, 'seq' | 'at'>;

/**
 * The state tracker: validates every transition against the one table, applies it to the
 * in-memory view of the active execution, and appends it to the execution's journal (written
 * by `JournalWriter`, one page per execution per tick). Events go out once their entry is stored.
 */
@Injectable()
export class StateTracker {
  private readonly views = new Map<string, ExecutionView>();

  /** Every transition, once stored in the journal. */
  readonly events$: Observable<StateChangeEvent>;
  /** Executions whose journal this process can no longer write (another owner, or refused). */
  readonly losses$: Observable<JournalLoss>;

  constructor(private readonly writer: JournalWriter) {
    this.events$ = writer.events$;
    this.losses$ = writer.losses$;
  }

  /**
   * Starts tracking an execution whose journal stands at `position`. `nodes` are in the
   * compiled graph's order. `stored` is its state as stored (for checkpoints), when the store is durable.
   */
  track(
    execution: Omit<ExecutionRecord, 'history'>,
    nodes: NodeStateRecord[],
    index: ReadonlyMap<string, number>,
    position: JournalPosition,
    stored: ExecutionFold | null,
  ): ExecutionView {
    const views: NodeView[] = nodes.map(({ history: _history, ...rest }) => rest);
    const view = new ExecutionView({ ...execution }, views, index, position);
    view.stored = stored;
    this.views.set(execution.id, view);
    return view;
  }

  /** Stops tracking once everything made for it is stored. */
  async untrack(view: ExecutionView): Promise<void> {
    await this.writer.whenStored(view);
    if (this.views.get(view.id) === view) this.views.delete(view.id);
  }

  /** Forgets an execution at once, with what is not yet written (it is lost or abandoned). */
  drop(view: ExecutionView): void {
    if (this.views.get(view.id) === view) this.views.delete(view.id);
    this.writer.discard(view);
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
   * Applies a node transition to the view and appends it to the journal. The fields every
   * transition of its kind sets (see `applyImpliedNodeFields`; a start counts an attempt) are
   * set here; `fields` holds the others. `check`: a retry's attempt limit, or that an operator
   * acts (see `OPERATOR_NODE_TRANSITIONS`). `payloadBytes`: the size of its output or error, for
   * page splitting. @throws StateTransitionError when illegal; nothing is changed then.
   */
  transitionNode(
    view: ExecutionView,
    node: NodeView,
    to: NodeStatus,
    fields: NodeStateFields,
    by: string,
    reason?: string,
    check: TransitionCheck = {},
    payloadBytes = 0,
  ): void {
    const from = node.status;
    assertNodeTransition(`${view.id}/${node.nodeId}`, from, to, node.attempts, check);
    const at = entryDates.at();
    const attempt = to === NodeStatus.RUNNING ? node.attempts + 1 : node.attempts;
    applyImpliedNodeFields(node, to, at, attempt);
    Object.assign(node, fields);
    node.status = to;
    const entry: JournalEntry = {
      kind: 'node',
      seq: ++view.seq,
      at,
      by,
      nodeId: node.nodeId,
      from,
      to,
      attempt,
    };
    if (hasFields(fields)) entry.set = fields;
    if (reason !== undefined) entry.reason = reason;
    const event = this.writer.observed ? this.nodeEvent(view, entry, node) : undefined;
    if (to === NodeStatus.READY) node.readyAt = at.getTime();
    this.writer.append(view, entry, ENTRY_BYTES + payloadBytes, event);
  }

  /** As `transitionNode`, for the execution itself; `operator`: an operator's action makes it. */
  transitionExecution(
    view: ExecutionView,
    to: ExecutionStatus,
    fields: ExecutionFields,
    by: string,
    reason?: string,
    operator = false,
  ): void {
    const record = view.record;
    const from = record.status;
    assertExecutionTransition(view.id, from, to, operator);
    const at = entryDates.at();
    applyImpliedExecutionFields(record, to, at);
    Object.assign(record, fields);
    record.status = to;
    const entry: JournalEntry = { kind: 'execution', seq: ++view.seq, at, by, from, to };
    if (TERMINAL_EXECUTION_STATUSES.has(from)) view.reopenedSeq = entry.seq;
    if (TERMINAL_EXECUTION_STATUSES.has(to)) applyImpliedEndFields(view.nodes);
    if (hasFields(fields)) entry.set = fields;
    if (reason !== undefined) entry.reason = reason;
    let event: StateChangeEvent | undefined;
    if (this.writer.observed) {
      event = this.baseEvent(view, entry, 'execution', from, to);
      if (from === ExecutionStatus.RUNNING && record.startedAt) {
        event.durationMs = entry.at.getTime() - record.startedAt.getTime();
      }
    }
    this.writer.append(view, entry, ENTRY_BYTES, event);
  }

  /** Appends an entry that is not a transition (a claim, a signal, an applied command). */
  record(view: ExecutionView, note: NoteEntry, payloadBytes = 0): void {
    const entry = { ...note, seq: ++view.seq, at: entryDates.at() } as JournalEntry;
    if (entry.kind === 'claim') {
      view.record.owner = entry.owner;
      view.record.epoch = entry.epoch;
    }
    this.writer.append(view, entry, ENTRY_BYTES + payloadBytes);
  }

  /**
   * Runs `fn`; the entries it makes for `view` go into one journal page, never split by the
   * page limits (an action's transitions with its command entry, a claim with its resets), so
   * a crash leaves all of them or none. A group within a group is part of the outer one.
   */
  together<T>(view: ExecutionView, fn: () => T): T {
    if (view.grouping) return fn();
    const from = view.seq + 1;
    view.grouping = true;
    try {
      return fn();
    } finally {
      view.grouping = false;
      if (view.seq > from) view.groups.push({ from, to: view.seq });
    }
  }

  /** Runs `fn` once every entry of `view` made so far is stored (never if the execution is lost first). */
  afterStored(view: ExecutionView, fn: () => void): void {
    this.writer.afterStored(view, fn);
  }

  /** Resolves once every entry of `view` made so far is stored, or it is lost. */
  whenStored(view: ExecutionView): Promise<void> {
    return this.writer.whenStored(view);
  }

  /**
   * Resolves once what this process did to an execution so far is stored: true, or false when
   * the execution was lost meanwhile (true when this process holds none of it).
   */
  async storedHere(executionId: string): Promise<boolean> {
    const view = this.views.get(executionId);
    if (!view) return true;
    await this.writer.whenStored(view);
    return !view.lost;
  }

  /** Resolves once every entry made before the call is stored (or its execution lost). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Resolves once the list outcomes of what is stored so far are written (see `JournalWriter.outcomesWritten`). */
  outcomesWritten(): Promise<void> {
    return this.writer.outcomesWritten();
  }

  /** Entries made and not yet stored. */
  get backlog(): number {
    return this.writer.backlog;
  }

  /** Age of the oldest entry not yet stored, in ms. */
  lagMs(): number {
    return this.writer.lagMs();
  }

  private nodeEvent(
    view: ExecutionView,
    entry: JournalEntry & { kind: 'node' },
    node: NodeView,
  ): StateChangeEvent {
    const event = this.baseEvent(view, entry, 'node', entry.from, entry.to);
    event.nodeId = node.nodeId;
    event.attempt = entry.attempt;
    if (node.type !== undefined) event.nodeType = node.type;
    if (entry.from === NodeStatus.RUNNING && node.startedAt) {
      event.durationMs = entry.at.getTime() - node.startedAt.getTime();
    } else if (
      node.readyAt !== undefined &&
      entry.from === NodeStatus.READY &&
      entry.to === NodeStatus.RUNNING
    ) {
      event.waitMs = entry.at.getTime() - node.readyAt;
    }
    return event;
  }

  private baseEvent(
    view: ExecutionView,
    entry: JournalEntry,
    kind: 'node' | 'execution',
    from: string,
    to: string,
  ): StateChangeEvent {
    const event: StateChangeEvent = {
      kind,
      executionId: view.id,
      graphId: view.record.graphId,
      from,
      to,
      at: entry.at,
      by: entry.by,
      seq: entry.seq,
    };
    if (entry.reason !== undefined) event.reason = entry.reason;
    return event;
  }
}

/** Whether a transition carries fields besides the implied ones. */
function hasFields(fields: object): boolean {
  for (const _key in fields) return true;
  return false;
}
