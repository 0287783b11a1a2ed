import { getHeapStatistics } from 'node:v8';

/** Bytes of JS heap plus ArrayBuffer backing stores (CompiledGraph keeps its edges in typed arrays). */
export function liveBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Collects garbage (needs `node --expose-gc`) and returns `liveBytes()`.
 * @throws Error when gc is not exposed.
 */
export function bytesAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run node with --expose-gc to measure retained memory');
  gc();
  gc();
  return liveBytes();
}

/** Waits for the event loop to turn `times` times (pending write-behind batches settle). */
export async function turns(times = 3): Promise<void> {
  for (let t = 0; t < times; t++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Samples the heap every `everyMs` while it runs. The engine runs synchronously between its
 * yields (every 1024 node starts, and at each write-behind batch), so this sees the heap at
 * those points; peak RSS comes from the kernel's high-water mark instead.
 */
export class PeakSampler {
  private timer: NodeJS.Timeout | null = null;
  private peakHeap = 0;

  /** Starts sampling every `everyMs` (unref'd: it never keeps the process alive). */
  start(everyMs = 1): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  /** Takes a sample now (call it where the heap is likely at its highest, e.g. as a run ends). */
  sample(): void {
    const used = getHeapStatistics().used_heap_size;
    if (used > this.peakHeap) this.peakHeap = used;
  }

  /** Stops sampling. @returns the highest heap used seen and the process's peak RSS so far. */
  stop(): { peakHeapBytes: number; peakRssBytes: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return { peakHeapBytes: this.peakHeap, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  }
}
