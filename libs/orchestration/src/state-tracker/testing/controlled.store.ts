import { StoreUnavailableError } from '../../errors';
import { ExecutionOutcome, InstanceLease } from '../execution-store.interface';
import { InMemoryExecutionStore } from '../in-memory-execution.store';
import { JournalPage, PageAppendResult } from '../journal/journal-page.interface';

/**
 * The embedded store made to behave like a remote one for tests: it says it is durable and
 * asynchronous (so the engine runs in durable mode), and a test can hold its journal writes,
 * make the next ones fail as an unreachable store would, and read a log of what it stored.
 */
export class ControlledStore extends InMemoryExecutionStore {
  override readonly durable = true;
  override readonly synchronous = false;
  override readonly description = 'controlled (test)';
  /** `stored <nodeId> <to>` for every node entry of every stored page, and whatever tests add. */
  readonly log: string[] = [];
  /** Calls of `appendPages` (including failed ones) and pages stored. */
  appendCalls = 0;
  pagesStored = 0;
  /** Calls of `recordOutcomes`. */
  outcomeCalls = 0;
  private held: Promise<void> | null = null;
  private outcomesHeld: Promise<void> | null = null;
  private creationsHeld: Promise<void> | null = null;
  private failures = 0;
  private leaseFailures = false;

  /** Holds journal writes until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return () => {
      this.held = null;
      release();
    };
  }

  /** Holds the creation of executions until the returned function is called. */
  holdCreations(): () => void {
    let release!: () => void;
    this.creationsHeld = new Promise((resolve) => (release = resolve));
    return () => {
      this.creationsHeld = null;
      release();
    };
  }

  /** Holds outcome writes (what lists read) until the returned function is called. */
  holdOutcomes(): () => void {
    let release!: () => void;
    this.outcomesHeld = new Promise((resolve) => (release = resolve));
    return () => {
      this.outcomesHeld = null;
      release();
    };
  }

  /** Makes the next `n` journal writes fail as if the store could not be reached. */
  failNext(n: number): void {
    this.failures = n;
  }

  /** Makes lease renewals fail (true) or work again (false). */
  failLeases(fail: boolean): void {
    this.leaseFailures = fail;
  }

  override async appendPages(pages: JournalPage[]): Promise<PageAppendResult[]> {
    this.appendCalls++;
    while (this.held) await this.held;
    if (this.failures > 0) {
      this.failures--;
      throw new StoreUnavailableError('store unreachable (test)', { retryAfterMs: 1000 });
    }
    const results = await super.appendPages(pages);
    pages.forEach((page, i) => {
      if (results[i].status !== 'stored') return;
      this.pagesStored++;
      for (const entry of page.entries) {
        if (entry.kind === 'node') this.log.push(`stored ${entry.nodeId} ${entry.to}`);
      }
    });
    return results;
  }

  override async createExecution(
    ...args: Parameters<InMemoryExecutionStore['createExecution']>
  ): ReturnType<InMemoryExecutionStore['createExecution']> {
    while (this.creationsHeld) await this.creationsHeld;
    return super.createExecution(...args);
  }

  override async recordOutcomes(outcomes: ExecutionOutcome[]): Promise<void> {
    this.outcomeCalls++;
    while (this.outcomesHeld) await this.outcomesHeld;
    return super.recordOutcomes(outcomes);
  }

  override async renewLease(lease: InstanceLease): Promise<void> {
    if (this.leaseFailures)
      throw new StoreUnavailableError('store unreachable (test)', { retryAfterMs: 1000 });
    return super.renewLease(lease);
  }
}
