import { GraphDefinition } from '../graph/graph-definition.interface';
import { ExecutionStatus, NodeStatus } from './status.enum';

/** Injection token of the active `ExecutionStore`. */
export const EXECUTION_STORE = 'TRELLIS:EXECUTION_STORE';

/** One entry of the append-only transition history of a node or an execution. */
export interface TransitionRecord {
  from: string;
  to: string;
  at: Date;
  /** Who applied it: an instance id, `api`, `stall-detector`, `recovery`, ... */
  by: string;
  reason?: string;
  /** For nodes: the attempt the transition belongs to. */
  attempt?: number;
  /**
   * Position among all transitions of the execution and its nodes, from 1; the id of the
   * matching live event, so a client resumes a stream from the store without gaps or repeats.
   */
  seq?: number;
}

/** A failure as persisted. */
export interface ErrorInfo {
  code: string;
  message: string;
  details?: unknown;
}

/** A stored graph definition. */
export interface GraphRecord {
  id: string;
  name: string;
  definition: GraphDefinition;
  createdAt: Date;
}

/** A stored execution. `version` increases with every persisted change. */
export interface ExecutionRecord {
  id: string;
  graphId: string;
  status: ExecutionStatus;
  input: Record<string, unknown>;
  error: ErrorInfo | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  version: number;
  /** Instance that runs it; null when nobody does. */
  owner: string | null;
  /** Last lease renewal by the owner. */
  heartbeatAt: Date | null;
  /** Client-chosen key; unique per graph. */
  idempotencyKey: string | null;
  history: TransitionRecord[];
}

/** The stored state of one node in one execution (unique on executionId + nodeId). */
export interface NodeStateRecord {
  executionId: string;
  nodeId: string;
  status: NodeStatus;
  /** Attempts started so far. */
  attempts: number;
  version: number;
  startedAt: Date | null;
  completedAt: Date | null;
  output: unknown;
  error: ErrorInfo | null;
  /** When a retry is due (status failed, attempts remain). */
  nextAttemptAt: Date | null;
  /** When the running attempt must have finished. */
  deadlineAt: Date | null;
  /** Attempts made before the last retry of the execution; its retry policy counts from here. */
  attemptBase?: number;
  /** For a completed node that chose a branch (`next`): the dependents it selected. */
  selected?: string[] | null;
  history: TransitionRecord[];
}

/** Mutable fields of a node state. */
export type NodeStateFields = Partial<
  Omit<NodeStateRecord, 'executionId' | 'nodeId' | 'history' | 'version'>
>;
/** Mutable fields of an execution. */
export type ExecutionFields = Partial<
  Omit<ExecutionRecord, 'id' | 'graphId' | 'createdAt' | 'history' | 'version' | 'idempotencyKey'>
>;

/**
 * A conditional update: applied only if the stored document still has `expected` status and
 * version; then `set` is applied, `history` appended and the version set to `version`.
 */
export interface NodeChange {
  executionId: string;
  nodeId: string;
  expected: { status: NodeStatus; version: number };
  version: number;
  set: NodeStateFields;
  history: TransitionRecord[];
}

/** A conditional update of an execution, as `NodeChange`. */
export interface ExecutionChange {
  id: string;
  expected: { status: ExecutionStatus; version: number };
  version: number;
  set: ExecutionFields;
  history: TransitionRecord[];
}

/** Changes written together (one scheduling tick's worth). */
export interface ChangeBatch {
  nodes: NodeChange[];
  executions: ExecutionChange[];
}

/** Changes whose expectation no longer held: another writer got there first. Nothing of them was applied. */
export interface ApplyResult {
  conflicts: { executionId: string; nodeId?: string }[];
}

/** Filter and page of `listExecutions`, newest first. */
export interface ExecutionQuery {
  graphId?: string;
  status?: ExecutionStatus[];
  /** Page size. */
  limit: number;
  /** Cursor: return executions created before the one with this id. */
  before?: string;
}

/**
 * The persistence port of the state tracker. Adapters: `InMemoryExecutionStore` (embedded,
 * not durable) and `MongoExecutionStore` (@nestjs/mongoose). Both pass one contract suite.
 */
export interface ExecutionStore {
  /** Whether state survives a restart of the process. */
  readonly durable: boolean;
  /** For logs and health: what and where. */
  readonly description: string;

  saveGraph(graph: GraphRecord): Promise<void>;
  findGraph(id: string): Promise<GraphRecord | null>;
  /** Newest first; `before` is a graph id cursor. */
  listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]>;
  /** @returns whether it existed. */
  deleteGraph(id: string): Promise<boolean>;

  /**
   * Inserts an execution and its node states. When `idempotencyKey` is set and an execution
   * of the same graph already has it, nothing is written and that execution is returned.
   */
  createExecution(
    execution: ExecutionRecord,
    nodes: NodeStateRecord[],
  ): Promise<{ execution: ExecutionRecord; created: boolean }>;
  /** Applies conditional changes; see `ApplyResult`. */
  apply(batch: ChangeBatch): Promise<ApplyResult>;

  findExecution(id: string): Promise<ExecutionRecord | null>;
  listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]>;
  /** Whether any execution of the graph is pending or running. */
  hasActiveExecutions(graphId: string): Promise<boolean>;
  findNodeStates(executionId: string): Promise<NodeStateRecord[]>;
  findNodeState(executionId: string, nodeId: string): Promise<NodeStateRecord | null>;

  /**
   * Takes ownership of running/pending executions that `owner` already owns or whose lease
   * went stale (heartbeat before `staleBefore`, or no owner). Each claim is one conditional update.
   */
  claimExecutions(owner: string, staleBefore: Date, now: Date): Promise<ExecutionRecord[]>;
  /** Renews the lease of the given executions owned by `owner`. */
  heartbeat(owner: string, executionIds: string[], now: Date): Promise<void>;

  /** Removes terminal executions completed before `cutoff`, with their node states. @returns how many. */
  deleteTerminalBefore(cutoff: Date): Promise<number>;
  /** Executions per status. */
  countExecutionsByStatus(): Promise<Partial<Record<ExecutionStatus, number>>>;
  /** Resolves when the backing store answers. */
  ping(): Promise<void>;
}
