import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { NotFoundError } from '../errors';
import { ErrorInfo } from './execution-record.interface';
import { EXECUTION_STORE, ExecutionStore } from './execution-store.interface';
import { ExecutionFold } from './journal/execution-fold';
import { journalEvents } from './journal/journal-events';
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
  /** How often the journal of an execution running on another instance is read for new pages. Default 1000 ms. */
  pollMs?: number;
}

/**
 * Every state change of one execution, oldest first and each once: the stored journal after
 * `after`, then live transitions, then an `end` item with the final status. Event ids are
 * journal positions, and live events go out only once stored, so an id is never reused, even
 * after a crash. An execution active in this process streams from `StateTracker.events$`; one
 * run by another instance is followed by reading its journal's new pages (by primary key).
 */
@Injectable()
export class ExecutionEventStream {
  constructor(
    private readonly tracker: StateTracker,
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
  ) {}

  /** The stream; it errors with `NotFoundError` when the execution does not exist. */
  stream(
    executionId: string,
    options: ExecutionStreamOptions = {},
  ): Observable<ExecutionStreamItem> {
    return new Observable((subscriber) => {
      const follower = new StreamFollower(
        this.tracker,
        this.store,
        executionId,
        subscriber,
        options,
      );
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
  private fold: ExecutionFold;

  constructor(
    private readonly tracker: StateTracker,
    private readonly store: ExecutionStore,
    private readonly id: string,
    private readonly subscriber: Subscriber<ExecutionStreamItem>,
    private readonly options: ExecutionStreamOptions,
  ) {
    this.last = options.after ?? 0;
    this.fold = new ExecutionFold(id, false);
    // NOTE: subscribe before reading the store, so nothing falls between the replay and live events.
    this.live = tracker.events$.subscribe((event) => {
      if (event.executionId !== id) return;
      if (this.buffer) this.buffer.push(event);
      else this.emit(event);
    });
  }

  async start(): Promise<void> {
    try {
      await this.readNewPages();
      if (!this.fold.record) throw new NotFoundError('execution', this.id);
      const buffered = this.buffer ?? [];
      this.buffer = null;
      for (const event of buffered) this.emit(event);
      if (this.closed) return;
      if (this.fold.ended) this.end();
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

  /** After a live terminal event: the final record, as stored. */
  private async finish(): Promise<void> {
    try {
      await this.readNewPages();
      this.end();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Reads the pages after the last one read, sends their events, folds them. */
  private async readNewPages(): Promise<void> {
    const { pages } = await this.store.readJournal(this.id, { afterPage: this.fold.lastPage });
    if (pages.length === 0) return;
    const graphId = pages[0].creation?.graphId ?? this.fold.record?.graphId ?? '';
    for (const page of pages) this.fold.applyPage(page);
    for (const event of journalEvents(graphId, pages, this.last)) {
      if (this.closed && this.buffer === null) break;
      this.last = event.seq;
      this.subscriber.next({ type: 'transition', event });
    }
  }

  private poll(): void {
    this.timer = setTimeout(() => {
      void (async () => {
        try {
          await this.readNewPages();
          if (this.closed) return;
          if (this.tracker.view(this.id)) return;
          if (this.fold.ended) this.end();
          else this.poll();
        } catch (error) {
          this.fail(error);
        }
      })();
    }, this.options.pollMs ?? 1000);
  }

  private end(): void {
    const record = this.fold.record!;
    this.close();
    const final: ExecutionStreamEnd = { id: record.id, status: record.status };
    if (record.error) final.error = record.error;
    this.subscriber.next({ type: 'end', execution: final });
    this.subscriber.complete();
  }

  private fail(error: unknown): void {
    this.close();
    this.subscriber.error(error);
  }
}
