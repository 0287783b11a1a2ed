import { NodeStatus, StateTracker } from '../libs/orchestration/src';
import { BenchApp } from './bench-app.module';
import { BenchGraph } from './graph-shapes';
import { bytesAfterGc, turns } from './memory.probe';

/** Heap the engine holds for one live execution. */
export interface EngineMemory {
  nodes: number;
  /** Retained bytes (heap + ArrayBuffers, after gc) added by the live execution. */
  liveBytes: number;
  bytesPerNode: number;
  /**
   * Still retained per node once the execution ended (gc'd, graph kept): the in-memory store
   * keeps finished executions for `retentionMs` (default 7 days).
   */
  retainedBytesPerNode: number;
}

/**
 * Starts `graph` (built with `hold`: its last node stays running), waits until every other node
 * completed and the write-behind is idle, then measures what the execution retains after gc
 * against a baseline taken just before it started. The definition object itself is in the
 * baseline (it is the caller's); what the engine copies or derives from it is not.
 */
export async function measureEngineMemory(
  bench: BenchApp,
  graph: BenchGraph,
): Promise<EngineMemory> {
  const n = graph.parents.length;
  const tracker = bench.app.get(StateTracker);
  bench.noop.reset(n);
  await turns();
  const before = bytesAfterGc();
  const created = await bench.engine.createGraph(graph.definition);
  const { execution } = await bench.engine.startExecution(created.id);
  const completed = () =>
    tracker.view(execution.id)?.nodes.filter((v) => v.status === NodeStatus.COMPLETED).length ?? 0;
  while (!bench.noop.holding || completed() < n - 1) await turns(1);
  await turns();
  const during = bytesAfterGc();
  bench.noop.release();
  await bench.engine.waitFor(execution.id);
  await turns();
  const after = bytesAfterGc();
  return {
    nodes: n,
    liveBytes: during - before,
    bytesPerNode: (during - before) / n,
    retainedBytesPerNode: (after - before) / n,
  };
}
