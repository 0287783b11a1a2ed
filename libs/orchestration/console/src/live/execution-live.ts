import type { ExecutionResponse, TransitionEvent } from '../api/types';

/** One attempt of a node, for the timeline. */
export interface Attempt {
  attempt: number;
  start: number;
  end: number | null;
  /** Where the attempt went when it left `running`. */
  outcome: string | null;
}

/**
 * The live state of one execution: node statuses, counts by status and the attempts of every
 * node, folded from its event stream. Events are queued and applied once per animation frame,
 * so a thousand transitions a second cost one update (and one redraw) per frame.
 */
export class ExecutionLive {
  readonly status = new Map<string, string>();
  readonly counts: Record<string, number> = {};
  readonly attempts = new Map<string, Attempt[]>();
  executionStatus: string;
  startedAt: number | null;
  completedAt: number | null;
  /** The last event id applied (the journal position to resume after). */
  lastSeq = 0;
  /** Transitions applied so far. */
  transitions = 0;
  /** Grows with every applied batch: the views' signal to redraw. */
  version = 0;
  /** Node ids changed by the last batch. */
  changed = new Set<string>();
  private queue: TransitionEvent[] = [];
  private frame = 0;
  private readonly listeners = new Set<() => void>();

  constructor(execution: ExecutionResponse, nodeIds: string[]) {
    for (const id of nodeIds) this.setStatus(id, 'pending');
    for (const node of execution.nodes) this.setStatus(node.nodeId, node.status);
    this.executionStatus = execution.status;
    this.startedAt = execution.startedAt ? Date.parse(execution.startedAt) : null;
    this.completedAt = execution.completedAt ? Date.parse(execution.completedAt) : null;
  }

  private setStatus(id: string, status: string): void {
    const before = this.status.get(id);
    if (before === status) return;
    if (before !== undefined) this.counts[before] = (this.counts[before] ?? 1) - 1;
    this.counts[status] = (this.counts[status] ?? 0) + 1;
    this.status.set(id, status);
    this.changed.add(id);
  }

  /** Queues an event; it is applied on the next animation frame. */
  push(event: TransitionEvent): void {
    this.queue.push(event);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Sets the execution's status (from its `end` event or a fresh read). */
  setExecution(status: string, completedAt?: string | null): void {
    this.executionStatus = status;
    if (completedAt !== undefined) this.completedAt = completedAt ? Date.parse(completedAt) : null;
    this.version++;
    this.notify();
  }

  private flush(): void {
    this.frame = 0;
    const batch = this.queue;
    this.queue = [];
    this.changed = new Set();
    for (const event of batch) this.apply(event);
    this.version++;
    this.notify();
  }

  private apply(event: TransitionEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.transitions++;
    const at = Date.parse(event.at);
    if (event.kind === 'execution') {
      this.executionStatus = event.to;
      if (event.to === 'running' && (this.startedAt === null || event.from !== 'pending')) {
        this.startedAt ??= at;
        this.completedAt = null;
      }
      if (['completed', 'failed', 'cancelled'].includes(event.to)) this.completedAt = at;
      return;
    }
    const id = event.nodeId!;
    this.setStatus(id, event.to);
    if (event.to === 'running') {
      const list = this.attempts.get(id) ?? [];
      list.push({ attempt: event.attempt ?? list.length + 1, start: at, end: null, outcome: null });
      this.attempts.set(id, list);
    } else if (event.from === 'running') {
      const open = this.attempts.get(id)?.at(-1);
      if (open && open.end === null) {
        open.end = at;
        open.outcome = event.to;
      }
    }
  }

  /** Calls `listener` after each applied batch; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.listeners.clear();
  }
}
