import { ProgressEvent } from './progress-event.interface';

const DONE = new Set(['completed', 'failed', 'skipped', 'cancelled']);

/** A node that failed, as shown when it happens. */
export interface ProgressFailure {
  nodeId: string;
  message: string;
}

/**
 * The tally behind the progress display: the latest status of every node seen, so a failed node
 * that is retried stops counting as done, and the nodes running now in the order they started.
 */
export class ProgressState {
  private readonly statuses = new Map<string, string>();
  private readonly runningNow = new Set<string>();
  private doneCount = 0;
  private failedCount = 0;
  /** Status of the execution itself, from its own events. */
  executionStatus = 'pending';

  constructor(
    /** Nodes in the graph. */
    readonly total: number,
  ) {}

  /** Nodes in a terminal status. */
  get done(): number {
    return this.doneCount;
  }

  /** Nodes whose latest status is `failed`. */
  get failed(): number {
    return this.failedCount;
  }

  /** Ids of the nodes running now, oldest first. */
  get running(): string[] {
    return [...this.runningNow];
  }

  /** Applies one event. */
  apply(event: ProgressEvent): void {
    if (event.kind === 'execution') {
      this.executionStatus = event.to;
      return;
    }
    const id = event.nodeId!;
    const before = this.statuses.get(id) ?? event.from;
    if (DONE.has(before)) this.doneCount--;
    if (before === 'failed') this.failedCount--;
    this.statuses.set(id, event.to);
    if (DONE.has(event.to)) this.doneCount++;
    if (event.to === 'failed') this.failedCount++;
    if (event.to === 'running') this.runningNow.add(id);
    else this.runningNow.delete(id);
  }
}
