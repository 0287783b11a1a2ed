import {
  ExecutionRecord,
  GraphRecord,
  NodeStateRecord,
  TransitionRecord,
} from '../execution-store.interface';
import { TrellisExecution } from './execution.schema';
import { TrellisGraph } from './graph.schema';
import { TrellisNodeState } from './node-state.schema';
import { TrellisTransition } from './transition.schema';

/** `_id` of a node state document: node ids cannot contain `/`, so the pair stays unambiguous. */
export function nodeStateId(executionId: string, nodeId: string): string {
  return `${executionId}/${nodeId}`;
}

/** The stored form of a graph. */
export function toGraphDoc(graph: GraphRecord): TrellisGraph {
  return {
    _id: graph.id,
    name: graph.name,
    definition: graph.definition,
    createdAt: graph.createdAt,
  };
}

/** A lean graph document as the record the port returns. */
export function toGraphRecord(doc: TrellisGraph): GraphRecord {
  return { id: doc._id, name: doc.name, definition: doc.definition, createdAt: doc.createdAt };
}

/** The stored form of an execution. */
export function toExecutionDoc(execution: ExecutionRecord): TrellisExecution {
  const { id, ...rest } = execution;
  return { _id: id, ...rest, history: [...execution.history] };
}

/** A lean execution document as the record the port returns (absent nullable fields as null). */
export function toExecutionRecord(doc: TrellisExecution): ExecutionRecord {
  return {
    id: doc._id,
    graphId: doc.graphId,
    status: doc.status,
    input: doc.input ?? {},
    error: doc.error ?? null,
    createdAt: doc.createdAt,
    startedAt: doc.startedAt ?? null,
    completedAt: doc.completedAt ?? null,
    version: doc.version,
    owner: doc.owner ?? null,
    heartbeatAt: doc.heartbeatAt ?? null,
    idempotencyKey: doc.idempotencyKey ?? null,
    history: (doc.history ?? []).map(toTransitionRecord),
  };
}

/** The stored form of a node state of `executionId` (which wins over the record's own). */
export function toNodeStateDoc(executionId: string, node: NodeStateRecord): TrellisNodeState {
  return {
    ...node,
    _id: nodeStateId(executionId, node.nodeId),
    executionId,
    output: node.output ?? null,
    history: [...node.history],
  };
}

/** A lean node state document as the record the port returns (absent nullable fields as null). */
export function toNodeStateRecord(doc: TrellisNodeState): NodeStateRecord {
  return {
    executionId: doc.executionId,
    nodeId: doc.nodeId,
    status: doc.status,
    attempts: doc.attempts,
    version: doc.version,
    startedAt: doc.startedAt ?? null,
    completedAt: doc.completedAt ?? null,
    output: doc.output ?? null,
    error: doc.error ?? null,
    nextAttemptAt: doc.nextAttemptAt ?? null,
    deadlineAt: doc.deadlineAt ?? null,
    ...(doc.selected ? { selected: doc.selected } : {}),
    ...(doc.attemptBase ? { attemptBase: doc.attemptBase } : {}),
    history: (doc.history ?? []).map(toTransitionRecord),
  };
}

function toTransitionRecord(doc: TrellisTransition): TransitionRecord {
  const entry: TransitionRecord = { from: doc.from, to: doc.to, at: doc.at, by: doc.by };
  if (doc.reason != null) entry.reason = doc.reason;
  if (doc.attempt != null) entry.attempt = doc.attempt;
  if (doc.seq != null) entry.seq = doc.seq;
  return entry;
}
