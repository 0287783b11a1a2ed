import { ExecutionEngine, ExecutionStatus, GraphDefinition } from '../libs/orchestration/src';

/** Wall-clock phases of one `engine.run()`-equivalent execution, in ms. */
export interface ExecutionTiming {
  graphId: string;
  nodes: number;
  /** createGraph: validation, compilation, storing the definition. */
  graphMs: number;
  /** startExecution until done: writing node states, scheduling, running, final flush. */
  execMs: number;
  /** graphMs + execMs: what a caller of `engine.run()` waits for `done`. */
  totalMs: number;
  /** nodes / totalMs. */
  nodesPerSec: number;
  /** nodes / execMs. */
  execNodesPerSec: number;
}

/**
 * Runs a graph exactly as `engine.run()` does (createGraph, startExecution, waitFor), timing the
 * phases. `done` resolves once the final state is written to the store. `beforeStart` runs
 * between createGraph and startExecution, untimed (e.g. to reset a write counter).
 * @throws Error when the execution does not complete.
 */
export async function timeExecution(
  engine: ExecutionEngine,
  definition: GraphDefinition,
  beforeStart?: () => void,
): Promise<ExecutionTiming> {
  const nodes = definition.nodes.length;
  const t0 = performance.now();
  const graph = await engine.createGraph(definition);
  beforeStart?.();
  const t1 = performance.now();
  const { execution } = await engine.startExecution(graph.id);
  const record = await engine.waitFor(execution.id);
  const t2 = performance.now();
  if (record.status !== ExecutionStatus.COMPLETED) {
    throw new Error(
      `execution of ${definition.name} ended ${record.status}: ${record.error?.message}`,
    );
  }
  return {
    graphId: graph.id,
    nodes,
    graphMs: t1 - t0,
    execMs: t2 - t1,
    totalMs: t2 - t0,
    nodesPerSec: (nodes * 1000) / (t2 - t0),
    execNodesPerSec: (nodes * 1000) / (t2 - t1),
  };
}
