import { Inject, Injectable } from '@nestjs/common';
import { EXECUTION_STORE, ExecutionStore } from '../libs/orchestration/src';

/** The store writes counted since the last `reset()`. */
export interface JournalWrites {
  /** `appendPages` calls: one insert command each (up to 1,000 pages per command). */
  appendCalls: number;
  pages: number;
  entries: number;
  /** `createExecution` calls (page 0 and the summary). */
  creations: number;
  /** `recordOutcomes` calls (list entries, inserted after an execution transition is stored). */
  outcomeWrites: number;
  /** `saveCheckpoint` calls. */
  checkpoints: number;
}

const zero = (): JournalWrites => ({
  appendCalls: 0,
  pages: 0,
  entries: 0,
  creations: 0,
  outcomeWrites: 0,
  checkpoints: 0,
});

/**
 * A measuring decorator of the store (the `TRELLIS:EXECUTION_STORE` provider): wraps its
 * write methods on the one instance every part of the library was given, counts each call (and
 * the pages and entries handed to `appendPages`) and passes it on unchanged. The wrapping
 * happens when the bench app is built, before any execution starts.
 */
@Injectable()
export class JournalWriteMeter {
  private counts = zero();

  constructor(@Inject(EXECUTION_STORE) store: ExecutionStore) {
    const append = store.appendPages.bind(store);
    store.appendPages = (pages) => {
      this.counts.appendCalls++;
      this.counts.pages += pages.length;
      for (const page of pages) this.counts.entries += page.entries.length;
      return append(pages);
    };
    const create = store.createExecution.bind(store);
    store.createExecution = (summary, first) => {
      this.counts.creations++;
      return create(summary, first);
    };
    const outcomes = store.recordOutcomes.bind(store);
    store.recordOutcomes = (list) => {
      this.counts.outcomeWrites++;
      return outcomes(list);
    };
    const checkpoint = store.saveCheckpoint.bind(store);
    store.saveCheckpoint = (state) => {
      this.counts.checkpoints++;
      return checkpoint(state);
    };
  }

  /** Starts counting from zero. */
  reset(): void {
    this.counts = zero();
  }

  /** The counts since the last `reset()`. */
  read(): JournalWrites {
    return { ...this.counts };
  }
}
