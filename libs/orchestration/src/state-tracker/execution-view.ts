import { ExecutionRecord, NodeStateRecord } from './execution-record.interface';
import { ExecutionFold } from './journal/execution-fold';
import { JournalEntry } from './journal/journal-entry.interface';
import { JournalPage } from './journal/journal-page.interface';
import { StateChangeEvent } from './state-change.event';

/** The live state of one node of an active execution (history lives in the journal only). */
export type NodeView = Omit<NodeStateRecord, 'history'> & {
  /** When it last became ready (ms since epoch), for the scheduling latency in events. */
  readyAt?: number;
  /** The node's type, for live events (set by the engine's run). */
  type?: string;
};

/** Entries handed to the store as one page and what waits for it. */
export interface PageInFlight {
  page: JournalPage;
  events: StateChangeEvent[] | null;
  launches: (() => void)[];
  barriers: (() => void)[];
  /** Whether an insert of it is under way (false while it waits to be retried). */
  sending: boolean;
}

/** Where a view's journal stands when it is tracked. */
export interface JournalPosition {
  /** The last entry's sequence number. */
  seq: number;
  /** The next page number to write. */
  nextPage: number;
}

/**
 * The in-memory state of an active execution: the authority while it runs in this process.
 * Transitions apply here at once and queue as journal entries; the journal writer stores them
 * as one page per tick. `nodes[i]` matches node `i` of the compiled graph.
 */
export class ExecutionView {
  /** Sequence number of the last entry made. */
  seq: number;
  /** Page number the next page gets. */
  nextPage: number;
  /** Entries not yet handed to the store. */
  pending: JournalEntry[] = [];
  /** Rough size of `pending` in bytes, to split pages well below the 16 MB document limit. */
  pendingBytes = 0;
  /** Live events of `pending`, published once stored (null while nobody listens). */
  pendingEvents: StateChangeEvent[] | null = null;
  /** Run once `pending` is stored (node attempts in durable mode). */
  launches: (() => void)[] = [];
  /** Resolved once `pending` is stored or the execution is lost. */
  barriers: (() => void)[] = [];
  /** The page being written, if any. */
  inFlight: PageInFlight | null = null;
  /** Set when the store refused a page: another instance owns it now, or it was rejected. */
  lost = false;
  /** The state as stored, for checkpoints (durable stores only). */
  stored: ExecutionFold | null = null;
  /** When the oldest unwritten entry was made (ms), for the journal lag; 0 when none. */
  oldestPendingAt = 0;
  /** Ids of the commands handled (applied or refused) for it (from its journal, and since). */
  readonly commands = new Set<string>();
  /** The `seq` of its last re-run (ended -> running); 0: none. A command older than it is stale. */
  reopenedSeq = 0;
  /**
   * Runs of consecutive entries (first and last `seq`) that go into one page: the entries of one
   * operator action with its command entry, a claim with its resets. Pruned as pages are taken.
   */
  groups: { from: number; to: number }[] = [];
  /** Set while a group is being made (see `StateTracker.together`). */
  grouping = false;

  constructor(
    readonly record: Omit<ExecutionRecord, 'history'>,
    readonly nodes: NodeView[],
    readonly index: ReadonlyMap<string, number>,
    position: JournalPosition,
  ) {
    this.seq = position.seq;
    this.nextPage = position.nextPage;
  }

  /** The id of the execution. */
  get id(): string {
    return this.record.id;
  }

  /** Whether anything of it is not stored yet. */
  get unwritten(): boolean {
    return this.pending.length > 0 || this.inFlight !== null;
  }
}
