import type { ScenarioSpec } from './bench.config';
import type { EngineMemory } from './engine-memory.probe';
import type { BenchNodeType } from './graph-shapes';
import type { InsertFloor } from './insert-floor.probe';
import type { JournalWrites } from './journal-write.meter';
import type { LatencyResult } from './latency.analysis';
import type { ExecutionTiming } from './timed-execution';

/** One execution of a scenario's graph. */
export interface RunResult {
  nodeType: BenchNodeType;
  warmup: boolean;
  timing: ExecutionTiming;
  /** BENCH_NOOP runs only. */
  latency?: LatencyResult;
  /** mongo only: the store's writes from startExecution until done. */
  writes?: JournalWrites;
  /** mongo only: tiny insertOne round trips timed right after this run, in the same database. */
  floor?: InsertFloor;
}

/** `engine.validate()` timings of the scenario's DELAY graph, in ms. */
export interface ValidationTiming {
  /** First call in a fresh process (cold JIT). */
  coldMs: number;
  /** Median of calls made after the timed runs (warm JIT). */
  warmMs: number;
  samples: number;
}

/** What a scenario's child process reports. */
export interface ScenarioResult {
  spec: ScenarioSpec;
  nodes: number;
  edges: number;
  validation?: ValidationTiming;
  runs: RunResult[];
  /** Heap used after gc once the app is up, before any graph was built into it. */
  baselineHeapBytes: number;
  baselineRssBytes: number;
  /** Highest heap used seen while running (sampled; includes garbage not yet collected). */
  peakHeapBytes: number;
  /** Kernel high-water mark of the child's RSS (whole process: Node, Nest, the engine). */
  peakRssBytes: number;
  engineMemory?: EngineMemory;
  /** mongo only: FerretDB or MongoDB, as the store sees it. */
  server?: string;
}
