import { NodeContext, NodeHandler, NodeTypeHandler } from '../libs/orchestration/src';

/** Config of BENCH_NOOP: the node's index into the timing arrays; `hold` keeps it running. */
export interface BenchNoopConfig {
  i: number;
  hold?: boolean;
}

/**
 * A no-op node type for the benchmark only. Records `performance.now()` as its first and last
 * statement into typed arrays indexed by node, so scheduling latency can be computed exactly.
 * Synchronous (like DELAY 0) unless `hold`, which stays running until `release()`.
 */
@NodeHandler('BENCH_NOOP')
export class BenchNoopHandler implements NodeTypeHandler<BenchNoopConfig> {
  /** start time (performance.now(), ms) of node i's last attempt; NaN when it did not run. */
  starts = new Float64Array(0);
  /** end time of node i's last attempt. */
  ends = new Float64Array(0);
  /** Attempts finished since `reset()`. */
  finished = 0;
  private releaseHeld: (() => void) | null = null;

  /** Prepares the arrays for a graph of `n` nodes (reuses them when the size matches). */
  reset(n: number): void {
    if (this.starts.length !== n) {
      this.starts = new Float64Array(n);
      this.ends = new Float64Array(n);
    }
    this.starts.fill(Number.NaN);
    this.ends.fill(Number.NaN);
    this.finished = 0;
    this.releaseHeld = null;
  }

  /** Whether a held node is running now. */
  get holding(): boolean {
    return this.releaseHeld !== null;
  }

  /** Lets the held node finish. */
  release(): void {
    const release = this.releaseHeld;
    this.releaseHeld = null;
    release?.();
  }

  execute(context: NodeContext<BenchNoopConfig>): void | Promise<void> {
    const start = performance.now();
    const { i, hold } = context.config;
    this.starts[i] = start;
    if (hold) {
      return new Promise<void>((resolve) => {
        this.releaseHeld = () => {
          this.ends[i] = performance.now();
          this.finished++;
          resolve();
        };
      });
    }
    this.finished++;
    this.ends[i] = performance.now();
  }
}
