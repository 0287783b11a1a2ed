import {
  ExecutionRecord,
  GraphRecord,
  NodeStateRecord,
  TransitionRecord,
} from '../state-tracker/execution-record.interface';

/**
 * Maps stored records to response bodies. Dates stay `Date` and serialize as ISO-8601 with
 * milliseconds; `error` and `output` are left out when there is none.
 */
export function toGraphSummary(graph: GraphRecord) {
  return {
    id: graph.id,
    name: graph.name,
    nodeCount: graph.definition.nodes.length,
    createdAt: graph.createdAt,
  };
}

/** A graph with its definition. */
export function toGraphResponse(graph: GraphRecord) {
  return { ...toGraphSummary(graph), definition: graph.definition };
}

/** An execution without nodes or history. */
export function toExecutionSummary(
  execution: Omit<ExecutionRecord, 'history' | 'owner' | 'epoch'>,
) {
  return {
    id: execution.id,
    graphId: execution.graphId,
    status: execution.status,
    input: execution.input,
    idempotencyKey: execution.idempotencyKey,
    createdAt: execution.createdAt,
    startedAt: execution.startedAt,
    completedAt: execution.completedAt,
    ...(execution.error ? { error: execution.error } : {}),
    ...(execution.lastAction ? { lastAction: execution.lastAction } : {}),
  };
}

/** An execution with the state of each node. */
export function toExecutionResponse(
  execution: Omit<ExecutionRecord, 'history'>,
  nodes: NodeStateRecord[],
) {
  return { ...toExecutionSummary(execution), nodes: nodes.map(toNodeState) };
}

/** One node's state, without history. */
export function toNodeState(node: NodeStateRecord) {
  return {
    nodeId: node.nodeId,
    status: node.status,
    attempts: node.attempts,
    startedAt: node.startedAt,
    completedAt: node.completedAt,
    ...(node.error ? { error: node.error } : {}),
    ...(node.output !== null && node.output !== undefined ? { output: node.output } : {}),
    ...(node.fencingToken ? { fencingToken: node.fencingToken } : {}),
    ...(node.lastAction ? { lastAction: node.lastAction } : {}),
  };
}

/** One node's state with its full history. */
export function toNodeDetail(node: NodeStateRecord) {
  return {
    executionId: node.executionId,
    ...toNodeState(node),
    nextAttemptAt: node.nextAttemptAt,
    history: node.history.map(toTransition),
  };
}

function toTransition(entry: TransitionRecord) {
  return {
    seq: entry.seq,
    from: entry.from,
    to: entry.to,
    at: entry.at,
    by: entry.by,
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    ...(entry.attempt !== undefined ? { attempt: entry.attempt } : {}),
    ...(entry.fencingToken !== undefined ? { fencingToken: entry.fencingToken } : {}),
  };
}
