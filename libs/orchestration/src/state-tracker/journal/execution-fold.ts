import { ExecutionRecord, NodeStateRecord } from '../execution-record.interface';
import { pendingNodeState } from '../node-state.factory';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from '../status.enum';
import {
  applyImpliedEndFields,
  applyImpliedExecutionFields,
  applyImpliedNodeFields,
} from './implied-fields';
import { JournalEntry } from './journal-entry.interface';
import { ExecutionCheckpoint, JournalPage } from './journal-page.interface';

/**
 * Replays an execution's journal into its state: the execution record and the state of every
 * node the journal mentions (with their history when asked). The one place that knows how an
 * entry changes state, used by recovery, by reads and by the owner's checkpoints.
 */
export class ExecutionFold {
  /** Null until page 0 (or a checkpoint) was applied. */
  record: ExecutionRecord | null = null;
  readonly nodes = new Map<string, NodeStateRecord>();
  /** Ids of the commands already handled (applied or refused). */
  readonly commands = new Set<string>();
  /** The `seq` of the last re-run (an ended execution back to running); 0: none. */
  reopenedSeq = 0;
  /** The last page applied; -1 before any. */
  lastPage = -1;
  /** The last entry's sequence number. */
  seq = 0;
  /** The writer of the last page applied. */
  lastWriter: string | null = null;

  constructor(
    readonly executionId: string,
    private readonly withHistory: boolean,
  ) {}

  /** Folds a checkpoint (if any) and the pages after it, in order. */
  static of(
    executionId: string,
    checkpoint: ExecutionCheckpoint | null,
    pages: JournalPage[],
    withHistory: boolean,
  ): ExecutionFold {
    const fold = new ExecutionFold(executionId, withHistory);
    if (checkpoint) fold.applyCheckpoint(checkpoint);
    for (const page of pages) if (page.page > fold.lastPage) fold.applyPage(page);
    return fold;
  }

  /** Whether the execution has ended (and nobody owns it). */
  get ended(): boolean {
    return this.record !== null && TERMINAL_EXECUTION_STATUSES.has(this.record.status);
  }

  applyCheckpoint(checkpoint: ExecutionCheckpoint): void {
    this.record = { ...checkpoint.record, history: [] };
    for (const node of checkpoint.nodes) {
      this.nodes.set(node.nodeId, { ...node, executionId: this.executionId, history: [] });
    }
    for (const id of checkpoint.commands) this.commands.add(id);
    this.reopenedSeq = checkpoint.reopenedSeq ?? 0;
    this.lastPage = checkpoint.page;
    this.seq = checkpoint.seq;
  }

  /** @throws Error when `page` does not follow the last page applied (a gap in the journal). */
  applyPage(page: JournalPage): void {
    if (page.page !== this.lastPage + 1) {
      throw new Error(
        `journal of ${this.executionId}: page ${page.page} follows page ${this.lastPage}`,
      );
    }
    if (page.creation) {
      const c = page.creation;
      this.record = {
        id: this.executionId,
        graphId: c.graphId,
        status: ExecutionStatus.PENDING,
        input: c.input,
        error: null,
        createdAt: c.createdAt,
        startedAt: null,
        completedAt: null,
        owner: c.owner,
        epoch: 1,
        idempotencyKey: c.idempotencyKey,
        history: [],
      };
    }
    for (const entry of page.entries) this.applyEntry(entry);
    this.lastPage = page.page;
    this.lastWriter = page.writer;
  }

  applyEntry(entry: JournalEntry): void {
    this.seq = entry.seq;
    const record = this.record;
    if (!record) throw new Error(`journal of ${this.executionId} does not start with page 0`);
    switch (entry.kind) {
      case 'node': {
        let node = this.nodes.get(entry.nodeId);
        if (!node) {
          node = pendingNodeState(this.executionId, entry.nodeId);
          this.nodes.set(entry.nodeId, node);
        }
        applyImpliedNodeFields(node, entry.to, entry.at, entry.attempt);
        if (entry.set) Object.assign(node, entry.set);
        node.status = entry.to;
        if (this.withHistory) {
          const t = transition(entry, entry.attempt);
          // NOTE: an attempt's start sets its token: kept on the entry, so every attempt shows its own.
          if (typeof entry.set?.fencingToken === 'number') t.fencingToken = entry.set.fencingToken;
          node.history.push(t);
        }
        break;
      }
      case 'execution':
        applyImpliedExecutionFields(record, entry.to, entry.at);
        if (entry.set) Object.assign(record, entry.set);
        record.status = entry.to;
        if (entry.from !== 'none' && TERMINAL_EXECUTION_STATUSES.has(entry.from)) {
          this.reopenedSeq = entry.seq;
        }
        if (TERMINAL_EXECUTION_STATUSES.has(entry.to)) {
          record.owner = null;
          applyImpliedEndFields(this.nodes.values());
        }
        if (this.withHistory) record.history.push(transition(entry));
        break;
      case 'claim':
        record.owner = entry.owner;
        record.epoch = entry.epoch;
        break;
      case 'signal': {
        let node = this.nodes.get(entry.nodeId);
        if (!node) {
          node = pendingNodeState(this.executionId, entry.nodeId);
          this.nodes.set(entry.nodeId, node);
        }
        node.signal = { payload: entry.payload, at: entry.at, by: entry.by };
        if (entry.reason !== undefined) node.signal.reason = entry.reason;
        break;
      }
      case 'command':
        this.commands.add(entry.commandId);
        break;
    }
  }

  /** The state of `nodeIds` in order; a node the journal never mentions is pending. */
  nodeStates(nodeIds: readonly string[]): NodeStateRecord[] {
    return nodeIds.map((id) => this.nodes.get(id) ?? pendingNodeState(this.executionId, id));
  }

  /** A checkpoint of the state folded so far. @throws Error before page 0. */
  checkpoint(): ExecutionCheckpoint {
    if (!this.record) throw new Error(`nothing folded for ${this.executionId}`);
    const { history: _history, ...record } = this.record;
    const nodes = [...this.nodes.values()].map(({ history: _h, executionId: _e, ...node }) => node);
    return {
      executionId: this.executionId,
      page: this.lastPage,
      seq: this.seq,
      record,
      nodes,
      commands: [...this.commands],
      ...(this.reopenedSeq > 0 ? { reopenedSeq: this.reopenedSeq } : {}),
    };
  }
}

function transition(
  entry: JournalEntry & { from: string; to: string },
  attempt?: number,
): NodeStateRecord['history'][number] {
  const t: NodeStateRecord['history'][number] = {
    from: entry.from,
    to: entry.to,
    at: entry.at,
    by: entry.by,
    seq: entry.seq,
  };
  if (entry.reason !== undefined) t.reason = entry.reason;
  if (attempt !== undefined) t.attempt = attempt;
  return t;
}
