import {
  ErrorInfo,
  ExecutionQuery,
  ExecutionRecord,
  GraphRecord,
} from './execution-record.interface';
import {
  ExecutionCheckpoint,
  JournalPage,
  PageAppendResult,
} from './journal/journal-page.interface';
import { ExecutionStatus } from './status.enum';

/** Injection token of the active `ExecutionStore`: the one port to persistence. */
export const EXECUTION_STORE = 'TRELLIS:EXECUTION_STORE';

/** What lists need of an execution, written once when it is created. */
export interface ExecutionSummary {
  id: string;
  graphId: string;
  input: Record<string, unknown>;
  createdAt: Date;
  idempotencyKey: string | null;
  /** The instance that created it. */
  createdBy: string;
}

/**
 * The status of an execution as of one of its execution transitions, inserted once that
 * transition is in the journal. Lists fold the latest one into the summary; it never decides anything.
 */
export interface ExecutionOutcome {
  executionId: string;
  /** The journal position of the transition: later outcomes win. */
  seq: number;
  status: ExecutionStatus;
  at: Date;
  error: ErrorInfo | null;
}

/** An execution as lists show it: its summary and latest outcome. */
export type ListedExecution = Omit<ExecutionRecord, 'history' | 'owner' | 'epoch'>;

/** The lease of one engine instance, renewed in place (a tiny collection: one document per instance). */
export interface InstanceLease {
  instanceId: string;
  /** `instanceId` plus a per-process nonce: tells a restart from the same process. */
  incarnation: string;
  /** Increases with every renewal: readers judge liveness by its change on their own clock. */
  beat: number;
  renewedAt: Date;
  /** Executions this instance owned at `renewedAt` (and ones it must claim back). */
  active: string[];
  /** An id made at `renewedAt`: executions it created later have greater ids. */
  createdUpTo: string;
  /**
   * The instance's own `leaseMs`: others take it for stopped once its lease has not changed for
   * that long (instances with different settings judge each other right). Absent: the reader's.
   */
  leaseMs?: number;
}

/** Commands an instance that does not own an execution leaves for its owner. */
export type ExecutionCommandType =
  'cancel' | 'signal' | 'retry-node' | 'complete-node' | 'skip-node';

/** A command for the owner of an execution (`trellis_commands`), applied once and then deleted. */
export interface ExecutionCommand {
  id: string;
  executionId: string;
  type: ExecutionCommandType;
  by: string;
  at: Date;
  reason?: string;
  nodeId?: string;
  /** `signal`: the signal's payload; `complete-node`: the node's output. */
  payload?: unknown;
  /** `retry-node`: also re-run every node downstream. */
  downstream?: boolean;
  /**
   * The journal position (`seq`) of the stored state the command was checked against. A command
   * is never applied to a re-run of the execution begun after it (`reopenedSeq` above it).
   */
  seq?: number;
}

/** The journal of one execution as read: the latest checkpoint (if asked and any) and the pages after it. */
export interface JournalRead {
  checkpoint: ExecutionCheckpoint | null;
  pages: JournalPage[];
}

/**
 * The persistence port. Every decision of who wins (execution ids, idempotency keys, ownership,
 * one run per attempt) rests on inserts of unique keys; in-place writes (leases) only inform.
 * Adapters: `InMemoryExecutionStore` (embedded, not durable) and `MongoExecutionStore`
 * (@nestjs/mongoose). Both pass one contract suite.
 */
export interface ExecutionStore {
  /** Whether state survives a restart of the process. */
  readonly durable: boolean;
  /** For logs and health: what and where. */
  readonly description: string;
  /** Whether writes complete without I/O (the embedded store): commits need not wait for a tick. */
  readonly synchronous: boolean;
  /**
   * Checkpoints are saved after pages `K-1, 2K-1, 3K-1, ...` of a journal (K = this) and after the
   * page that ends an execution, so a read finds the latest by exact lookups.
   */
  readonly checkpointEvery: number;

  /** @throws Error when the id is taken. */
  saveGraph(graph: GraphRecord): Promise<void>;
  findGraph(id: string): Promise<GraphRecord | null>;
  /** Newest first; `before` is a graph id cursor. */
  listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]>;
  /** @returns whether it existed. */
  deleteGraph(id: string): Promise<boolean>;

  /**
   * Inserts page 0 of a new journal and the execution's summary. With an idempotency key that
   * an execution of the same graph holds already, writes nothing and returns that one's id.
   * The id given may be replaced by the id the key was claimed with (a creator crashed midway).
   */
  createExecution(
    summary: ExecutionSummary,
    first: JournalPage,
  ): Promise<{ created: boolean; executionId: string }>;
  findSummary(id: string): Promise<ExecutionSummary | null>;
  /**
   * Inserts pages, each on its own: a page whose key is taken is a `conflict` (unless this
   * writer stored it already), one refused for good is `rejected`. At most one page per execution.
   * @throws Error when the store could not be reached (nothing can be said of any page).
   */
  appendPages(pages: JournalPage[]): Promise<PageAppendResult[]>;
  /**
   * The journal by primary key: the pages after `afterPage` (default all), or the latest
   * checkpoint and the pages after it when `fromCheckpoint`.
   */
  readJournal(
    executionId: string,
    options: { fromCheckpoint?: boolean; afterPage?: number },
  ): Promise<JournalRead>;
  /** Saves a checkpoint (one already saved for the same place is kept). */
  saveCheckpoint(checkpoint: ExecutionCheckpoint): Promise<void>;
  /** Inserts outcomes; one already stored (same execution and seq) is skipped. */
  recordOutcomes(outcomes: ExecutionOutcome[]): Promise<void>;
  listExecutions(query: ExecutionQuery): Promise<ListedExecution[]>;
  countExecutionsByStatus(): Promise<Partial<Record<ExecutionStatus, number>>>;
  /** Whether any execution of the graph is pending or running. */
  hasActiveExecutions(graphId: string): Promise<boolean>;

  /** Writes this instance's lease (insert or replace its one document). */
  renewLease(lease: InstanceLease): Promise<void>;
  readLeases(): Promise<InstanceLease[]>;
  /** Removes a lease unless it was renewed by another incarnation meanwhile. */
  deleteLease(instanceId: string, incarnation: string): Promise<void>;
  /** Ids of executions created by `instanceId` with an id greater than `after`. */
  findCreatedBy(instanceId: string, after: string): Promise<string[]>;

  insertCommand(command: ExecutionCommand): Promise<void>;
  /** Every command not yet deleted, oldest first. */
  readCommands(): Promise<ExecutionCommand[]>;
  deleteCommands(ids: string[]): Promise<void>;

  /**
   * Retention: removes executions that ended before `cutoff` (the MongoDB store drops whole
   * day partitions) except those in `keep`, and commands and idempotency keys older than it.
   * @returns how many executions were removed.
   */
  removeEndedBefore(cutoff: Date, keep: ReadonlySet<string>): Promise<number>;
  /** Resolves when the backing store answers. */
  ping(): Promise<void>;
}
