/** The API's shapes as the console reads them (docs/HTTP-API.md). */

export type ExecutionStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export type NodeStatus =
  'pending' | 'ready' | 'waiting' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export const NODE_STATUSES: NodeStatus[] = [
  'pending',
  'ready',
  'waiting',
  'running',
  'completed',
  'failed',
  'skipped',
  'cancelled',
];
export const EXECUTION_STATUSES: ExecutionStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface NodeDefinition {
  id: string;
  type: string;
  dependsOn?: string[];
  strategy?: string;
  critical?: boolean;
  config?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface GraphDefinition {
  name: string;
  nodes: NodeDefinition[];
  input?: Record<string, unknown>;
  defaults?: { strategy?: string };
  [key: string]: unknown;
}

export interface GraphSummary {
  id: string;
  name: string;
  nodeCount: number;
  createdAt: string;
}

export interface GraphResponse extends GraphSummary {
  definition: GraphDefinition;
}

export interface ErrorInfo {
  code: string;
  message: string;
  details?: unknown;
}

export interface OperatorAction {
  action: string;
  by: string;
  reason?: string;
  at?: string;
  nodeId?: string;
}

export interface ExecutionSummary {
  id: string;
  graphId: string;
  status: ExecutionStatus;
  input: unknown;
  idempotencyKey: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  error?: ErrorInfo;
  lastAction?: OperatorAction;
}

export interface NodeState {
  nodeId: string;
  status: NodeStatus;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  error?: ErrorInfo;
  output?: unknown;
  fencingToken?: number;
  lastAction?: OperatorAction;
}

export interface ExecutionResponse extends ExecutionSummary {
  nodes: NodeState[];
}

export interface Transition {
  seq: number;
  from: string;
  to: string;
  at: string;
  by: string;
  reason?: string;
  attempt?: number;
  fencingToken?: number;
}

export interface NodeDetail extends NodeState {
  executionId: string;
  nextAttemptAt: string | null;
  history: Transition[];
}

/** One `transition` event of GET /executions/:id/events: a transition, and whose. */
export interface TransitionEvent extends Omit<Transition, 'fencingToken'> {
  kind: 'node' | 'execution';
  executionId: string;
  nodeId?: string;
}
