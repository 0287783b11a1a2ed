/** Percentiles of a window of samples. */
export interface SampleSummary {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** The last `size` samples (e.g. durations in ms), in a ring. */
export class SampleWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size = 1000) {
    this.samples = new Float64Array(size);
  }

  add(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled++;
  }

  /** Count, median, 95th percentile (nearest rank) and maximum of the window. */
  summary(): SampleSummary {
    if (this.filled === 0) return { count: 0, p50Ms: null, p95Ms: null, maxMs: null };
    const sorted = this.samples.slice(0, this.filled).sort();
    const rank = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    return {
      count: this.filled,
      p50Ms: rank(0.5),
      p95Ms: rank(0.95),
      maxMs: sorted[sorted.length - 1],
    };
  }
}
