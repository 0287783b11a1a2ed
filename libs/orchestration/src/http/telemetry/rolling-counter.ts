/** Counts events over the last `seconds` seconds, in one bucket per second (no allocation per event). */
export class RollingCounter {
  private readonly counts: Float64Array;
  private readonly stamps: Float64Array;

  constructor(readonly seconds = 60) {
    this.counts = new Float64Array(seconds);
    this.stamps = new Float64Array(seconds).fill(-1);
  }

  /** Counts one event at `now` (ms since epoch). */
  add(now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const i = second % this.seconds;
    // NOTE: a late event older than the window would otherwise reset a current bucket.
    if (this.stamps[i] > second) return;
    if (this.stamps[i] !== second) {
      this.stamps[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i]++;
  }

  /** Events within the window ending at `now`. */
  total(now = Date.now()): number {
    const second = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < this.seconds; i++) {
      if (this.stamps[i] > second - this.seconds) sum += this.counts[i];
    }
    return sum;
  }
}
