import { EXECUTION_STORE, ExecutionStore } from '../libs/orchestration/src';
import { ScenarioSpec } from './bench.config';
import { BenchApp, startBenchApp } from './bench-app.module';
import { measureEngineMemory } from './engine-memory.probe';
import { BenchGraph, BenchNodeType, buildGraph, parentsOf } from './graph-shapes';
import { schedulingLatency } from './latency.analysis';
import { PeakSampler, bytesAfterGc } from './memory.probe';
import { measureInsertFloor } from './insert-floor.probe';
import { median } from './percentiles';
import { RunResult, ScenarioResult } from './scenario.result';
import { timeExecution } from './timed-execution';

/** Validations timed after the runs (warm), besides the first one in the process (cold). */
const WARM_VALIDATIONS = 10;

/** Runs one scenario in this process (a child of `run.ts`), warm-up runs first. */
export async function runScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const parents = parentsOf(spec.shape, spec.size, spec.parents);
  const graphs = new Map<BenchNodeType, BenchGraph>(
    spec.nodeTypes.map((t) => [t, buildGraph(spec.shape, parents, t)]),
  );
  const sampler = new PeakSampler();
  const result: ScenarioResult = {
    spec,
    nodes: parents.length,
    edges: graphs.values().next().value!.edges,
    runs: [],
    baselineHeapBytes: 0,
    baselineRssBytes: 0,
    peakHeapBytes: 0,
    peakRssBytes: 0,
  };
  sampler.start();
  if (spec.store === 'memory') await runInMemory(spec, graphs, result, sampler);
  else await runOnMongo(spec, graphs, result, sampler);
  Object.assign(result, sampler.stop());
  return result;
}

async function runInMemory(
  spec: ScenarioSpec,
  graphs: Map<BenchNodeType, BenchGraph>,
  result: ScenarioResult,
  sampler: PeakSampler,
): Promise<void> {
  const bench = await startBenchApp({ store: 'memory' });
  recordBaseline(result);
  try {
    const validationGraph = graphs.get('DELAY') ?? graphs.values().next().value!;
    const coldValidationMs = spec.timeValidation ? timeValidation(bench, validationGraph) : 0;
    for (let k = 0; k < spec.warmup + spec.iterations; k++) {
      for (const graph of graphs.values()) {
        result.runs.push(await runOnce(bench, graph, k < spec.warmup));
        sampler.sample();
        await forgetRun(bench, result.runs.at(-1)!.timing.graphId);
      }
    }
    if (spec.timeValidation) {
      const warm = Array.from({ length: WARM_VALIDATIONS }, () =>
        timeValidation(bench, validationGraph),
      );
      result.validation = { coldMs: coldValidationMs, warmMs: median(warm), samples: warm.length };
    }
    if (spec.measureMemory) {
      const held = buildGraph(spec.shape, graphs.values().next().value!.parents, 'DELAY', true);
      result.engineMemory = await measureEngineMemory(bench, held);
    }
  } finally {
    await bench.close();
  }
}

/**
 * Each run gets a fresh database (and app): FerretDB scans a collection on reads, so every
 * run starts from empty collections. After the run, the same database times the insert floor.
 */
async function runOnMongo(
  spec: ScenarioSpec,
  graphs: Map<BenchNodeType, BenchGraph>,
  result: ScenarioResult,
  sampler: PeakSampler,
): Promise<void> {
  for (let k = 0; k < spec.warmup + spec.iterations; k++) {
    for (const [type, graph] of graphs) {
      const mode = spec.durability ?? 'default';
      const dbName = `trellis_bench_${spec.shape}_${mode.replace('-', '_')}_${type.toLowerCase()}_${k}_${process.pid}`;
      const bench = await startBenchApp({
        store: 'mongo',
        uri: spec.uri!,
        dbName,
        durability: spec.durability,
      });
      if (result.baselineRssBytes === 0) recordBaseline(result);
      try {
        const connection = bench.connection!;
        const run = await runOnce(bench, graph, k < spec.warmup);
        sampler.sample();
        run.writes = bench.writes!.read();
        if (spec.floorInserts) {
          run.floor = await measureInsertFloor(connection, spec.floorInserts);
          result.server ??= run.floor.server;
        }
        result.runs.push(run);
        await connection.db!.dropDatabase();
      } finally {
        await bench.close();
      }
    }
  }
}

async function runOnce(bench: BenchApp, graph: BenchGraph, warmup: boolean): Promise<RunResult> {
  const nodeType = graph.definition.nodes[0].type as BenchNodeType;
  bench.noop.reset(graph.parents.length);
  const timing = await timeExecution(bench.engine, graph.definition, () => bench.writes?.reset());
  const run: RunResult = { nodeType, warmup, timing };
  if (nodeType === 'BENCH_NOOP')
    run.latency = schedulingLatency(graph.parents, bench.noop.starts, bench.noop.ends);
  return run;
}

function recordBaseline(result: ScenarioResult): void {
  bytesAfterGc();
  result.baselineHeapBytes = process.memoryUsage().heapUsed;
  result.baselineRssBytes = process.memoryUsage.rss();
}

/** One `engine.validate()` call, in ms. */
function timeValidation(bench: BenchApp, graph: BenchGraph): number {
  const t0 = performance.now();
  bench.engine.validate(graph.definition);
  return performance.now() - t0;
}

/**
 * Drops a finished run's graph and execution, so every run starts from the same heap: the
 * in-memory store otherwise keeps each execution for `retentionMs` (7 days by default).
 */
async function forgetRun(bench: BenchApp, graphId: string): Promise<void> {
  await bench.engine.deleteGraph(graphId);
  await bench.app
    .get<ExecutionStore>(EXECUTION_STORE)
    .removeEndedBefore(new Date(Date.now() + 1), new Set());
}
