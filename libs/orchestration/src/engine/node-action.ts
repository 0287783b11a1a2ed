import { CompiledGraph } from '../graph/compiled-graph';
import {
  ExecutionRecord,
  NodeStateFields,
  NodeStateRecord,
  OperatorAction,
  OperatorActionKind,
} from '../state-tracker/execution-record.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';

/** What an operator can do to one node. */
export type NodeActionKind = 'retry' | 'complete' | 'skip';

/** An operator's action on one node of an execution. */
export interface NodeAction {
  kind: NodeActionKind;
  nodeId: string;
  /** Who: an API key's name (`anonymous` when authentication is off), or the caller's name. */
  by: string;
  /** Why, free text; recorded with every transition the action causes. */
  reason?: string;
  /** `retry` only: also re-run every node downstream of it (reset to pending). */
  downstream?: boolean;
  /** `complete` only: the node's output, plain JSON within `maxOutputBytes`. */
  output?: unknown;
}

const S = NodeStatus;

/** The node statuses each action is legal from. */
export const NODE_ACTION_SOURCES: Readonly<Record<NodeActionKind, ReadonlySet<NodeStatus>>> = {
  retry: new Set([S.FAILED, S.CANCELLED, S.SKIPPED, S.COMPLETED]),
  complete: new Set([S.FAILED]),
  skip: new Set([S.PENDING, S.READY, S.WAITING, S.FAILED]),
};

const WHY_NOT: Readonly<Record<NodeActionKind, string>> = {
  retry: 'only a node that has ended (completed, failed, cancelled or skipped) can be re-run',
  complete: 'only a failed node can be completed',
  skip: 'only a pending, ready, waiting or failed node can be skipped',
};

/** Reason recorded when the operator gave none. */
const DEFAULT_REASON: Readonly<Record<NodeActionKind, string>> = {
  retry: 'node retry requested',
  complete: 'node completed by an operator',
  skip: 'node skipped by an operator',
};

/** Why `kind` cannot be applied to a node in `status`, or undefined when it can. */
export function nodeActionRefusal(kind: NodeActionKind, status: NodeStatus): string | undefined {
  return NODE_ACTION_SOURCES[kind].has(status) ? undefined : `${WHY_NOT[kind]}; it is ${status}`;
}

/** The operator action an action is recorded as. */
export function operatorActionOf(kind: NodeActionKind): `${NodeActionKind}-node` {
  return `${kind}-node`;
}

/** The reason recorded for an action: the operator's, or one naming the action. */
export function reasonOf(action: Pick<NodeAction, 'kind' | 'reason'>): string {
  return action.reason ?? DEFAULT_REASON[action.kind];
}

/** The nodes an action sends back to pending besides its own node, or the one that forbids it. */
export type ResetPlan = { reset: number[] } | { blocker: number };

const ACTIVE: ReadonlySet<NodeStatus> = new Set([S.READY, S.WAITING, S.RUNNING]);

/**
 * Which nodes downstream of node `i` go back to pending with the action. Every action resets
 * the skipped and cancelled nodes reached from it through skipped and cancelled nodes only
 * (those that ended because it did not complete; their dependency rule decides again). A retry
 * with `downstream` resets every node downstream that has ended. A retry is refused (`blocker`)
 * while a node downstream of it (directly or not) is ready, waiting or running: that node
 * started, or is about to, with the output the retry takes back. Without `downstream`, the
 * completed nodes below keep their outputs.
 */
export function resetPlan(
  graph: CompiledGraph,
  statusOf: (i: number) => NodeStatus,
  i: number,
  action: Pick<NodeAction, 'kind' | 'downstream'>,
): ResetPlan {
  const downstream = action.downstream === true;
  const guarded = action.kind === 'retry';
  const reset: number[] = [];
  const seen = new Uint8Array(graph.size);
  seen[i] = 1;
  // NOTE: a node is pushed with whether it was reached through reset nodes only.
  const stack: [number, boolean][] = [[i, true]];
  while (stack.length > 0) {
    const [from, chain] = stack.pop()!;
    for (const d of graph.dependentsOf(from)) {
      if (seen[d]) continue;
      seen[d] = 1;
      const status = statusOf(d);
      if (guarded && ACTIVE.has(status)) return { blocker: d };
      const resets = downstream
        ? status !== S.PENDING
        : chain && (status === S.SKIPPED || status === S.CANCELLED);
      if (resets) reset.push(d);
      if (resets || guarded) stack.push([d, resets]);
    }
  }
  return { reset };
}

/**
 * The nodes an execution that was stopped (cancelled, halted by a critical failure or its
 * timeout, failed as stalled) left cancelled or skipped, which a re-run of it by a node action
 * resets too, as `POST /executions/:id/retry` does: otherwise it would end `completed` with
 * nodes that never ran. Nodes an operator skipped stay skipped. Empty for an execution that
 * ended by itself (`NODES_FAILED` or completed).
 */
export function stoppedNodes(
  record: Pick<ExecutionRecord, 'status' | 'error'>,
  nodeOf: (i: number) => Pick<NodeStateRecord, 'status' | 'lastAction'>,
  size: number,
): number[] {
  const stopped =
    record.status === ExecutionStatus.CANCELLED ||
    (record.status === ExecutionStatus.FAILED && record.error?.code !== 'NODES_FAILED');
  if (!stopped) return [];
  const found: number[] = [];
  for (let j = 0; j < size; j++) {
    const node = nodeOf(j);
    if (node.status === S.CANCELLED) found.push(j);
    else if (node.status === S.SKIPPED && node.lastAction?.action !== 'skip-node') found.push(j);
  }
  return found;
}

/** What an action does to its execution: the nodes it resets besides its own, or why it cannot. */
export type NodeActionPlan = { reset: number[] } | { refusal: string };

/**
 * Plans the action against its execution's state: refused for the node's status or (a retry)
 * for a node below it that is active; otherwise the nodes it resets (see `resetPlan`).
 */
export function planNodeAction(
  graph: CompiledGraph,
  statusOf: (i: number) => NodeStatus,
  action: NodeAction,
): NodeActionPlan {
  const i = graph.index.get(action.nodeId)!;
  const refusal = nodeActionRefusal(action.kind, statusOf(i));
  if (refusal) return { refusal };
  const plan = resetPlan(graph, statusOf, i, action);
  if ('reset' in plan) return plan;
  const blocker = graph.nodes[plan.blocker].id;
  return {
    refusal: `node ${blocker} downstream of it is ${statusOf(plan.blocker)}: retry once it has ended`,
  };
}

/** Why the action does not fit its execution's state, or undefined when it does. */
export function actionRefusal(
  graph: CompiledGraph,
  statusOf: (i: number) => NodeStatus,
  action: NodeAction,
): string | undefined {
  const plan = planNodeAction(graph, statusOf, action);
  return 'refusal' in plan ? plan.refusal : undefined;
}

/** The fields a node going back to pending clears. */
export const RESET_NODE_FIELDS = {
  error: null,
  output: null,
  selected: null,
  startedAt: null,
  completedAt: null,
  nextAttemptAt: null,
  deadlineAt: null,
  signal: null,
} as const satisfies NodeStateFields;

/** The record of who did what and why, kept on what an action changed. */
export function operatorAction(
  kind: OperatorActionKind,
  by: string,
  reason: string | undefined,
  nodeId?: string,
): OperatorAction {
  const action: OperatorAction = { action: kind, by, at: new Date() };
  if (reason !== undefined) action.reason = reason;
  if (nodeId !== undefined) action.nodeId = nodeId;
  return action;
}

/**
 * Journals an action's node transitions on `view`: node `i` to its new status (with the
 * operator's `lastAction`), then each node of `reset` back to pending with a fresh retry budget.
 * Every entry carries the operator as `by` and the reason. The scheduler's own bookkeeping is the
 * caller's. @throws StateTransitionError when a transition is illegal (nothing is changed then).
 */
export function journalNodeAction(
  tracker: StateTracker,
  view: ExecutionView,
  i: number,
  reset: readonly number[],
  action: NodeAction,
): void {
  const node = view.nodes[i];
  const reason = reasonOf(action);
  const lastAction = operatorAction(operatorActionOf(action.kind), action.by, action.reason);
  const operator = { operator: true };
  if (action.kind === 'retry') {
    const fields = { ...RESET_NODE_FIELDS, attemptBase: node.attempts, lastAction };
    tracker.transitionNode(view, node, S.PENDING, fields, action.by, reason, operator);
  } else if (action.kind === 'complete') {
    const output = action.output ?? null;
    const fields = { output, selected: null, nextAttemptAt: null, lastAction };
    const bytes = output === null ? 0 : JSON.stringify(output).length;
    tracker.transitionNode(view, node, S.COMPLETED, fields, action.by, reason, operator, bytes);
  } else {
    const fields = { nextAttemptAt: null, lastAction };
    tracker.transitionNode(view, node, S.SKIPPED, fields, action.by, reason, operator);
  }
  for (const j of reset) {
    const other = view.nodes[j];
    tracker.transitionNode(
      view,
      other,
      S.PENDING,
      { ...RESET_NODE_FIELDS, attemptBase: other.attempts },
      action.by,
      `${reason} (reset with ${action.nodeId})`,
      operator,
    );
  }
}
