import { GraphDefinition } from '../graph/graph-definition.interface';
import { ExecutionStatus, NodeStatus } from './status.enum';

/** One entry of the transition history of a node or an execution (a read model of the journal). */
export interface TransitionRecord {
  from: string;
  to: string;
  at: Date;
  /** Who applied it: an instance id, an API key's name, `stall-detector`, ... */
  by: string;
  reason?: string;
  /** For nodes: the attempt the transition belongs to. */
  attempt?: number;
  /** For a node's entry into `running`: the fencing token of the attempt it starts. */
  fencingToken?: number;
  /**
   * Position of the entry in the execution's journal, from 1: the id of the matching live
   * event, so a client resumes a stream from the store without gaps or repeats.
   */
  seq?: number;
}

/** What an operator did, through the API or the engine's commands. */
export type OperatorActionKind =
  'cancel' | 'retry' | 'signal' | 'retry-node' | 'complete-node' | 'skip-node';

/**
 * The latest operator action on an execution or a node: who (an API key's name, `anonymous`
 * when authentication is off) and why. Set with the transition the action caused.
 */
export interface OperatorAction {
  action: OperatorActionKind;
  by: string;
  /** The operator's reason, when one was given. */
  reason?: string;
  at: Date;
  /** On an execution: the node a node action was for. */
  nodeId?: string;
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

/** An execution as read from its journal. */
export interface ExecutionRecord {
  id: string;
  graphId: string;
  status: ExecutionStatus;
  input: Record<string, unknown>;
  error: ErrorInfo | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** Instance that owns it (its last claim); null once it ended. */
  owner: string | null;
  /** Owner epoch: 1 for the creator, +1 with every claim. Part of every fencing token. */
  epoch: number;
  /** Client-chosen key; unique per graph. */
  idempotencyKey: string | null;
  /** The latest operator action that changed its status (absent in journals from before it existed). */
  lastAction?: OperatorAction | null;
  history: TransitionRecord[];
}

/** A signal sent to a node (an approval), kept until the node completes. */
export interface NodeSignal {
  payload: unknown;
  at: Date;
  by: string;
  reason?: string;
}

/** The state of one node in one execution, as read from the journal. */
export interface NodeStateRecord {
  executionId: string;
  nodeId: string;
  status: NodeStatus;
  /** Attempts started so far (an attempt interrupted by a crash counts). */
  attempts: number;
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
  /** The fencing token of the latest attempt (see `NodeContext.fencingToken`). */
  fencingToken?: number | null;
  /** A signal delivered to the node and not yet used by a completed attempt. */
  signal?: NodeSignal | null;
  /** The latest operator action on this node (retry, complete, skip). */
  lastAction?: OperatorAction | null;
  history: TransitionRecord[];
}

/** Mutable fields of a node state. */
export type NodeStateFields = Partial<
  Omit<NodeStateRecord, 'executionId' | 'nodeId' | 'history' | 'status'>
>;
/** Mutable fields of an execution. */
export type ExecutionFields = Partial<
  Pick<ExecutionRecord, 'error' | 'startedAt' | 'completedAt' | 'lastAction'>
>;

/** Filter and page of `listExecutions`, newest first. */
export interface ExecutionQuery {
  graphId?: string;
  status?: ExecutionStatus[];
  /** Page size. */
  limit: number;
  /** Cursor: return executions created before the one with this id. */
  before?: string;
}
