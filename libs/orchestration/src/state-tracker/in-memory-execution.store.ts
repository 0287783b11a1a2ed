import { isChangeApplied } from './change-applied';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from './status.enum';
import {
  ApplyResult,
  ChangeBatch,
  ExecutionQuery,
  ExecutionRecord,
  ExecutionStore,
  GraphRecord,
  NodeStateRecord,
} from './execution-store.interface';

/**
 * Embedded store: everything in this process's memory, lost on exit. The default when no
 * MongoDB is configured; the same conditional-update rules as the MongoDB store.
 */
export class InMemoryExecutionStore implements ExecutionStore {
  readonly durable = false;
  readonly description = 'in-memory (not durable)';
  private readonly graphs = new Map<string, GraphRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly nodes = new Map<string, Map<string, NodeStateRecord>>();

  async saveGraph(graph: GraphRecord): Promise<void> {
    this.graphs.set(graph.id, { ...graph });
  }

  async findGraph(id: string): Promise<GraphRecord | null> {
    const graph = this.graphs.get(id);
    return graph ? { ...graph } : null;
  }

  async listGraphs(query: { limit: number; before?: string }): Promise<GraphRecord[]> {
    return newestFirst([...this.graphs.values()], query.before)
      .slice(0, query.limit)
      .map((g) => ({ ...g }));
  }

  async deleteGraph(id: string): Promise<boolean> {
    return this.graphs.delete(id);
  }

  async createExecution(
    execution: ExecutionRecord,
    nodes: NodeStateRecord[],
  ): Promise<{ execution: ExecutionRecord; created: boolean }> {
    if (execution.idempotencyKey !== null) {
      for (const existing of this.executions.values()) {
        if (
          existing.graphId === execution.graphId &&
          existing.idempotencyKey === execution.idempotencyKey
        ) {
          return { execution: copyExecution(existing), created: false };
        }
      }
    }
    if (this.executions.has(execution.id))
      throw new Error(`duplicate execution id ${execution.id}`);
    const byNode = new Map<string, NodeStateRecord>();
    for (const node of nodes) {
      if (byNode.has(node.nodeId))
        throw new Error(`duplicate node state ${execution.id}/${node.nodeId}`);
      byNode.set(node.nodeId, copyNode(node));
    }
    this.executions.set(execution.id, copyExecution(execution));
    this.nodes.set(execution.id, byNode);
    return { execution: copyExecution(execution), created: true };
  }

  async apply(batch: ChangeBatch): Promise<ApplyResult> {
    const conflicts: ApplyResult['conflicts'] = [];
    for (const change of batch.nodes) {
      const node = this.nodes.get(change.executionId)?.get(change.nodeId);
      if (node && isChangeApplied(node, change)) continue;
      if (
        !node ||
        node.status !== change.expected.status ||
        node.version !== change.expected.version
      ) {
        conflicts.push({ executionId: change.executionId, nodeId: change.nodeId });
        continue;
      }
      Object.assign(node, change.set);
      node.version = change.version;
      for (const entry of change.history) node.history.push(entry);
    }
    for (const change of batch.executions) {
      const execution = this.executions.get(change.id);
      if (execution && isChangeApplied(execution, change)) continue;
      if (
        !execution ||
        execution.status !== change.expected.status ||
        execution.version !== change.expected.version
      ) {
        conflicts.push({ executionId: change.id });
        continue;
      }
      Object.assign(execution, change.set);
      execution.version = change.version;
      for (const entry of change.history) execution.history.push(entry);
    }
    return { conflicts };
  }

  async findExecution(id: string): Promise<ExecutionRecord | null> {
    const execution = this.executions.get(id);
    return execution ? copyExecution(execution) : null;
  }

  async listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    const matching = [...this.executions.values()].filter(
      (e) =>
        (!query.graphId || e.graphId === query.graphId) &&
        (!query.status?.length || query.status.includes(e.status)),
    );
    return newestFirst(matching, query.before).slice(0, query.limit).map(copyExecution);
  }

  async hasActiveExecutions(graphId: string): Promise<boolean> {
    for (const e of this.executions.values()) {
      if (e.graphId === graphId && !TERMINAL_EXECUTION_STATUSES.has(e.status)) return true;
    }
    return false;
  }

  async findNodeStates(executionId: string): Promise<NodeStateRecord[]> {
    return [...(this.nodes.get(executionId)?.values() ?? [])].map(copyNode);
  }

  async findNodeState(executionId: string, nodeId: string): Promise<NodeStateRecord | null> {
    const node = this.nodes.get(executionId)?.get(nodeId);
    return node ? copyNode(node) : null;
  }

  async claimExecutions(owner: string, staleBefore: Date, now: Date): Promise<ExecutionRecord[]> {
    const claimed: ExecutionRecord[] = [];
    for (const e of this.executions.values()) {
      if (TERMINAL_EXECUTION_STATUSES.has(e.status)) continue;
      const stale = !e.owner || !e.heartbeatAt || e.heartbeatAt < staleBefore;
      if (e.owner !== owner && !stale) continue;
      e.owner = owner;
      e.heartbeatAt = now;
      claimed.push(copyExecution(e));
    }
    return claimed;
  }

  async heartbeat(owner: string, executionIds: string[], now: Date): Promise<void> {
    for (const id of executionIds) {
      const e = this.executions.get(id);
      if (e && e.owner === owner) e.heartbeatAt = now;
    }
  }

  async deleteTerminalBefore(cutoff: Date): Promise<number> {
    let removed = 0;
    for (const [id, e] of this.executions) {
      if (TERMINAL_EXECUTION_STATUSES.has(e.status) && e.completedAt && e.completedAt < cutoff) {
        this.executions.delete(id);
        this.nodes.delete(id);
        removed++;
      }
    }
    return removed;
  }

  async countExecutionsByStatus(): Promise<Partial<Record<ExecutionStatus, number>>> {
    const counts: Partial<Record<ExecutionStatus, number>> = {};
    for (const e of this.executions.values()) counts[e.status] = (counts[e.status] ?? 0) + 1;
    return counts;
  }

  async ping(): Promise<void> {}
}

function newestFirst<T extends { id: string }>(records: T[], before?: string): T[] {
  // NOTE: ids are ObjectId hex strings, so their order is creation order.
  return records.filter((r) => !before || r.id < before).sort((a, b) => (a.id < b.id ? 1 : -1));
}

function copyExecution(e: ExecutionRecord): ExecutionRecord {
  return { ...e, history: [...e.history] };
}

function copyNode(n: NodeStateRecord): NodeStateRecord {
  return { ...n, history: [...n.history] };
}
