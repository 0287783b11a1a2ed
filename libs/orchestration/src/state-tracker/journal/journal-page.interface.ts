import { ExecutionRecord, NodeStateRecord } from '../execution-record.interface';
import { JournalEntry } from './journal-entry.interface';

/** What page 0 of a journal records about the execution besides its first entries. */
export interface ExecutionCreation {
  graphId: string;
  input: Record<string, unknown>;
  createdAt: Date;
  idempotencyKey: string | null;
  /** The instance that created it: the owner of epoch 1. */
  owner: string;
}

/**
 * One page of an execution's journal, written by one insert. Its key is
 * (executionId, page): page numbers are consecutive from 0, so an instance that is no longer
 * the owner fails to insert its next page (the key is taken) and stops.
 */
export interface JournalPage {
  executionId: string;
  page: number;
  /** The writing process (`instanceId` + a per-process nonce): tells a retried insert of our own page from a rival's. */
  writer: string;
  at: Date;
  /** Page 0 only. */
  creation?: ExecutionCreation;
  entries: JournalEntry[];
}

/** A node's state in a checkpoint: without history; pending nodes are left out. */
export type CheckpointNode = Omit<NodeStateRecord, 'history' | 'executionId'>;

/**
 * The state of an execution after `page`, so a recovery reads the checkpoint and the pages
 * after it instead of the whole journal. Written behind by the owner after aligned pages
 * (see `ExecutionStore.checkpointEvery`) and when the execution ends; never decides anything.
 */
export interface ExecutionCheckpoint {
  executionId: string;
  /** The last page folded into it. */
  page: number;
  seq: number;
  record: Omit<ExecutionRecord, 'history'>;
  nodes: CheckpointNode[];
  /** Ids of the commands already handled (applied or refused). */
  commands: string[];
  /** The `seq` of the last re-run (an ended execution back to running); absent or 0: none. */
  reopenedSeq?: number;
}

/** What became of one page given to `ExecutionStore.appendPages`. */
export type PageAppendResult =
  | { status: 'stored' }
  /** The key was taken by another writer: the caller no longer owns the execution. */
  | { status: 'conflict' }
  /** The store refused the page for good (not a transient failure): fails that execution only. */
  | { status: 'rejected'; message: string };
