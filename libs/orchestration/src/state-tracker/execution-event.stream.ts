import { Injectable } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { NotFoundError } from '../errors';
import { ErrorInfo, ExecutionRecord, NodeStateRecord } from './execution-store.interface';
import { StateChangeEvent } from './state-change.event';
import { StateTracker } from './state-tracker.service';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from './status.enum';

/** The final state an execution's event stream ends with (the data of the SSE `end` event). */
export interface ExecutionStreamEnd {
  id: string;
  status: ExecutionStatus;
  error?: ErrorInfo;
}

/** One item of an execution's event stream: a transition, or the final state after the last one. */
export type ExecutionStreamItem =
  { type: 'transition'; event: StateChangeEvent } | { type: 'end'; execution: ExecutionStreamEnd };

/** Options of `ExecutionEventStream.stream()`. */
export interface ExecutionStreamOptions {
  /** Replay only transitions with a greater sequence number (a client's Last-Event-ID). Default 0. */
  after?: number;
  /** How often an execution running on another instance is re-read from the store. Default 1000 ms. */
  pollMs?: number;
}

/**
 * Every state change of one execution, oldest first and each once: the stored history after
 * `after`, then live transitions, then an `end` item with the final status. An execution
 * active in this process streams from `StateTracker.events$` with no delay; one run by another
 * instance is followed by re-reading the store every `pollMs`.
 */
@Injectable()
export class ExecutionEventStream {
  constructor(private readonly tracker: StateTracker) {}

  /** The stream; it errors with `NotFoundError` when the execution does not exist. */
  stream(
    executionId: string,
    options: ExecutionStreamOptions = {},
  ): Observable<ExecutionStreamItem> {
    return new Observable((subscriber) => {
      const follower = new StreamFollower(this.tracker, executionId, subscriber, options);
      void follower.start();
      return () => follower.close();
    });
  }
}

/** The state of one subscription to `ExecutionEventStream.stream()`. */
class StreamFollower {
  private last: number;
  private buffer: StateChangeEvent[] | null = [];
  private closed = false;
  private timer?: NodeJS.Timeout;
  private readonly live;

  constructor(
    private readonly tracker: StateTracker,
    private readonly id: string,
    private readonly subscriber: Subscriber<ExecutionStreamItem>,
    private readonly options: ExecutionStreamOptions,
  ) {
    this.last = options.after ?? 0;
    // NOTE: subscribe before reading the store, so nothing falls between the replay and live events.
    this.live = tracker.events$.subscribe((event) => {
      if (event.executionId !== id) return;
      if (this.buffer) this.buffer.push(event);
      else this.emit(event);
    });
  }

  async start(): Promise<void> {
    try {
      await this.tracker.flush();
      const execution = await this.tracker.store.findExecution(this.id);
      if (!execution) throw new NotFoundError('execution', this.id);
      const complete = this.replay(execution, await this.tracker.store.findNodeStates(this.id));
      const buffered = this.buffer ?? [];
      this.buffer = null;
      for (const event of buffered) this.emit(event);
      if (this.closed) return;
      if (complete && TERMINAL_EXECUTION_STATUSES.has(execution.status)) this.end(execution);
      else if (!this.tracker.view(this.id)) this.poll();
    } catch (error) {
      this.fail(error);
    }
  }

  close(): void {
    this.closed = true;
    this.live.unsubscribe();
    clearTimeout(this.timer);
  }

  /** A live event; a terminal execution event ends the stream (a stored one may be followed by a retry). */
  private emit(event: StateChangeEvent): void {
    if (this.closed || event.seq <= this.last) return;
    this.last = event.seq;
    this.subscriber.next({ type: 'transition', event });
    if (
      event.kind === 'execution' &&
      TERMINAL_EXECUTION_STATUSES.has(event.to as ExecutionStatus)
    ) {
      this.closed = true;
      void this.finish();
    }
  }

  /** After a live terminal event: the final record, once it is written. */
  private async finish(): Promise<void> {
    try {
      await this.tracker.flush();
      const execution = await this.tracker.store.findExecution(this.id);
      if (execution) this.end(execution);
      else this.subscriber.complete();
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Sends the stored events after the last one sent, in order and without gaps: the execution
   * and its node states are read separately, so a read may catch a write half done; whatever
   * follows a gap waits for the next read. @returns whether no gap was left.
   */
  private replay(execution: ExecutionRecord, nodes: NodeStateRecord[]): boolean {
    for (const event of storedEvents(execution, nodes, this.last)) {
      if (this.closed) return true;
      if (event.seq !== this.last + 1) return false;
      this.last = event.seq;
      this.subscriber.next({ type: 'transition', event });
    }
    return true;
  }

  private poll(): void {
    this.timer = setTimeout(() => {
      void (async () => {
        try {
          const execution = await this.tracker.store.findExecution(this.id);
          if (!execution || this.closed) return this.subscriber.complete();
          const nodes = await this.tracker.store.findNodeStates(this.id);
          const complete = this.replay(execution, nodes);
          if (this.closed) return;
          if (complete && TERMINAL_EXECUTION_STATUSES.has(execution.status)) this.end(execution);
          else this.poll();
        } catch (error) {
          this.fail(error);
        }
      })();
    }, this.options.pollMs ?? 1000);
  }

  private end(execution: ExecutionRecord): void {
    this.close();
    const final: ExecutionStreamEnd = {
      id: execution.id,
      status: execution.status,
    };
    if (execution.error) final.error = execution.error;
    this.subscriber.next({ type: 'end', execution: final });
    this.subscriber.complete();
  }

  private fail(error: unknown): void {
    this.close();
    this.subscriber.error(error);
  }
}

/** The stored transitions of an execution and its nodes with `seq > after`, in sequence order. */
export function storedEvents(
  execution: ExecutionRecord,
  nodes: NodeStateRecord[],
  after: number,
): StateChangeEvent[] {
  const events: StateChangeEvent[] = [];
  const base = { executionId: execution.id, graphId: execution.graphId };
  for (const entry of execution.history) {
    if (entry.seq !== undefined && entry.seq > after)
      events.push({ kind: 'execution', ...base, ...entry, seq: entry.seq });
  }
  for (const node of nodes) {
    for (const entry of node.history) {
      if (entry.seq !== undefined && entry.seq > after)
        events.push({ kind: 'node', ...base, nodeId: node.nodeId, ...entry, seq: entry.seq });
    }
  }
  return events.sort((a, b) => a.seq - b.seq);
}
