import { ExecutionQuery, GraphRecord } from './execution-record.interface';
import {
  ExecutionCommand,
  ExecutionOutcome,
  ExecutionStore,
  ExecutionSummary,
  InstanceLease,
  JournalRead,
  ListedExecution,
} from './execution-store.interface';
import {
  ExecutionCheckpoint,
  JournalPage,
  PageAppendResult,
} from './journal/journal-page.interface';
import { matchesQuery, toListedExecution } from './listed-execution';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from './status.enum';

/** One execution's documents in the embedded store. */
interface StoredExecution {
  summary: ExecutionSummary;
  pages: JournalPage[];
  checkpoints: ExecutionCheckpoint[];
  outcomes: ExecutionOutcome[];
}

/**
 * Embedded store: everything in this process's memory, lost on exit. The default when no
 * MongoDB is configured; the same key rules as the MongoDB store, writes without I/O.
 */
export class InMemoryExecutionStore implements ExecutionStore {
  readonly durable: boolean = false;
  readonly synchronous: boolean = true;
  readonly description: string = 'in-memory (not durable)';
  readonly checkpointEvery: number = 64;
  private readonly graphs = new Map<string, GraphRecord>();
  private readonly executions = new Map<string, StoredExecution>();
  private readonly keys = new Map<string, string>();
  private readonly leases = new Map<string, InstanceLease>();
  private readonly commands = new Map<string, ExecutionCommand>();

  async saveGraph(graph: GraphRecord): Promise<void> {
    if (this.graphs.has(graph.id)) throw new Error(`duplicate graph id ${graph.id}`);
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
    summary: ExecutionSummary,
    first: JournalPage,
  ): Promise<{ created: boolean; executionId: string }> {
    if (summary.idempotencyKey !== null) {
      const key = `${summary.graphId}:${summary.idempotencyKey}`;
      const existing = this.keys.get(key);
      if (existing !== undefined) return { created: false, executionId: existing };
      this.keys.set(key, summary.id);
    }
    if (this.executions.has(summary.id)) throw new Error(`duplicate execution id ${summary.id}`);
    this.executions.set(summary.id, {
      summary: { ...summary },
      pages: [first],
      checkpoints: [],
      outcomes: [],
    });
    return { created: true, executionId: summary.id };
  }

  async findSummary(id: string): Promise<ExecutionSummary | null> {
    const stored = this.executions.get(id);
    return stored ? { ...stored.summary } : null;
  }

  async appendPages(pages: JournalPage[]): Promise<PageAppendResult[]> {
    return pages.map((page) => {
      const stored = this.executions.get(page.executionId);
      if (!stored) return { status: 'rejected', message: `no execution ${page.executionId}` };
      const at = stored.pages[page.page];
      if (at) return at.writer === page.writer ? { status: 'stored' } : { status: 'conflict' };
      if (page.page !== stored.pages.length) {
        return { status: 'rejected', message: `page ${page.page} would leave a gap` };
      }
      stored.pages.push(page);
      return { status: 'stored' };
    });
  }

  async readJournal(
    executionId: string,
    options: { fromCheckpoint?: boolean; afterPage?: number },
  ): Promise<JournalRead> {
    const stored = this.executions.get(executionId);
    if (!stored) return { checkpoint: null, pages: [] };
    const checkpoint = options.fromCheckpoint ? (stored.checkpoints.at(-1) ?? null) : null;
    const after = checkpoint ? checkpoint.page : (options.afterPage ?? -1);
    return { checkpoint, pages: stored.pages.slice(after + 1) };
  }

  async saveCheckpoint(checkpoint: ExecutionCheckpoint): Promise<void> {
    const stored = this.executions.get(checkpoint.executionId);
    if (!stored || stored.checkpoints.some((c) => c.page === checkpoint.page)) return;
    stored.checkpoints.push(checkpoint);
    stored.checkpoints.sort((a, b) => a.page - b.page);
  }

  async recordOutcomes(outcomes: ExecutionOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const stored = this.executions.get(outcome.executionId);
      if (!stored || stored.outcomes.some((o) => o.seq === outcome.seq)) continue;
      stored.outcomes.push({ ...outcome });
    }
  }

  async listExecutions(query: ExecutionQuery): Promise<ListedExecution[]> {
    const out: ListedExecution[] = [];
    const all = [...this.executions.values()].sort((a, b) =>
      a.summary.id < b.summary.id ? 1 : -1,
    );
    for (const stored of all) {
      if (query.before !== undefined && stored.summary.id >= query.before) continue;
      const listed = toListedExecution(stored.summary, stored.outcomes);
      if (matchesQuery(listed, query)) out.push(listed);
      if (out.length === query.limit) break;
    }
    return out;
  }

  async countExecutionsByStatus(): Promise<Partial<Record<ExecutionStatus, number>>> {
    const counts: Partial<Record<ExecutionStatus, number>> = {};
    for (const stored of this.executions.values()) {
      const { status } = toListedExecution(stored.summary, stored.outcomes);
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  async hasActiveExecutions(graphId: string): Promise<boolean> {
    for (const stored of this.executions.values()) {
      if (stored.summary.graphId !== graphId) continue;
      const { status } = toListedExecution(stored.summary, stored.outcomes);
      if (!TERMINAL_EXECUTION_STATUSES.has(status)) return true;
    }
    return false;
  }

  async renewLease(lease: InstanceLease): Promise<void> {
    this.leases.set(lease.instanceId, { ...lease, active: [...lease.active] });
  }

  async readLeases(): Promise<InstanceLease[]> {
    return [...this.leases.values()].map((l) => ({ ...l, active: [...l.active] }));
  }

  async deleteLease(instanceId: string, incarnation: string): Promise<void> {
    if (this.leases.get(instanceId)?.incarnation === incarnation) this.leases.delete(instanceId);
  }

  async findCreatedBy(instanceId: string, after: string): Promise<string[]> {
    return [...this.executions.values()]
      .filter((s) => s.summary.createdBy === instanceId && s.summary.id > after)
      .map((s) => s.summary.id);
  }

  async insertCommand(command: ExecutionCommand): Promise<void> {
    if (this.commands.has(command.id)) throw new Error(`duplicate command id ${command.id}`);
    this.commands.set(command.id, { ...command });
  }

  async readCommands(): Promise<ExecutionCommand[]> {
    return [...this.commands.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((c) => ({ ...c }));
  }

  async deleteCommands(ids: string[]): Promise<void> {
    for (const id of ids) this.commands.delete(id);
  }

  async removeEndedBefore(cutoff: Date, keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const [id, stored] of this.executions) {
      const listed = toListedExecution(stored.summary, stored.outcomes);
      if (keep.has(id) || !listed.completedAt || listed.completedAt >= cutoff) continue;
      this.executions.delete(id);
      if (listed.idempotencyKey !== null)
        this.keys.delete(`${listed.graphId}:${listed.idempotencyKey}`);
      removed++;
    }
    for (const [id, command] of this.commands) if (command.at < cutoff) this.commands.delete(id);
    return removed;
  }

  async ping(): Promise<void> {}
}

/** Records sorted by id, newest first, after the `before` cursor. */
function newestFirst<T extends { id: string }>(records: T[], before?: string): T[] {
  return records
    .filter((r) => before === undefined || r.id < before)
    .sort((a, b) => (a.id < b.id ? 1 : -1));
}
