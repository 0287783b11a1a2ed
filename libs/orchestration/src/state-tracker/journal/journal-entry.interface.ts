import { ExecutionFields, NodeStateFields } from '../execution-record.interface';
import { ExecutionStatus, NodeStatus } from '../status.enum';

/** What every journal entry has. */
interface EntryBase {
  /** Position in the execution's journal, from 1, never reused: the SSE event id. */
  seq: number;
  at: Date;
  /** Who: an instance id, an API key's name, `stall-detector`, ... */
  by: string;
  reason?: string;
}

/** A node changed status; `set` holds the fields that changed with it. */
export interface NodeTransitionEntry extends EntryBase {
  kind: 'node';
  nodeId: string;
  from: NodeStatus;
  to: NodeStatus;
  attempt: number;
  set?: NodeStateFields;
}

/** The execution changed status. The first entry of every journal is `none -> pending`. */
export interface ExecutionTransitionEntry extends EntryBase {
  kind: 'execution';
  from: ExecutionStatus | 'none';
  to: ExecutionStatus;
  set?: ExecutionFields;
}

/** An instance took the execution over (or was its creator: epoch 1, implied by page 0). */
export interface ClaimEntry extends EntryBase {
  kind: 'claim';
  owner: string;
  epoch: number;
}

/** A signal for a node was received; it stays with the node until the node completes. */
export interface SignalEntry extends EntryBase {
  kind: 'signal';
  nodeId: string;
  payload: unknown;
}

/**
 * A command from the commands collection was handled: applied, or (with `refused`) not applied
 * because the state did not allow it. Recorded so that it is handled once, and so that the
 * instance that left it learns what became of it.
 */
export interface CommandEntry extends EntryBase {
  kind: 'command';
  commandId: string;
  command: string;
  /** Why it was not applied; absent when it was. */
  refused?: string;
}

/** One entry of an execution's append-only journal. */
export type JournalEntry =
  NodeTransitionEntry | ExecutionTransitionEntry | ClaimEntry | SignalEntry | CommandEntry;
