import type { Durability } from '../libs/orchestration/src';
import { benchLog } from './bench.log';
import type { ShapedGraph } from './dag.builder';
import { httpJson, waitForStreamEnd } from './http.client';
import { median } from './percentiles';

/** One submission of a graph, in ms (wall clock of this machine). */
export interface ShapeRun {
  warmup: boolean;
  /** POST /graphs: validation and storing the definition. */
  graphPostMs: number;
  /** POST /graphs/:id/executions until it answered 201. */
  acceptMs: number;
  /** From sending POST /graphs/:id/executions until the execution's completedAt (server time). */
  submitToCompletedMs: number;
  /** From sending it until the `end` event of GET /executions/:id/events was read. */
  submitToEndEventMs: number;
  /** completedAt - createdAt, both the server's. */
  serverMs: number;
  /** Transition events the stream carried before its end. */
  events: number;
}

/** A graph, what it is made of, its submissions and their medians. */
export interface ShapeResult {
  name: string;
  /** The server's TRELLIS_DURABILITY. */
  durability: Durability;
  description: string;
  nodes: number;
  edges: number;
  levels: number;
  widestLevel: number;
  runs: ShapeRun[];
  /** Medians over the timed runs. */
  median: Omit<ShapeRun, 'warmup'>;
  /** median submitToCompletedMs / levels. */
  msPerLevel: number;
}

/**
 * Submits each graph `warmup + runs` times, one submission at a time: POST /graphs, then POST
 * /graphs/:id/executions, follows its event stream to the `end` event, reads GET
 * /executions/:id (it must be completed with every node completed), then deletes the graph.
 * @throws Error when a request fails or an execution does not complete.
 */
export async function runShapes(
  url: string,
  graphs: ShapedGraph[],
  warmup: number,
  runs: number,
  durability: Durability,
): Promise<ShapeResult[]> {
  const results: ShapeResult[] = [];
  for (const graph of graphs) {
    const all: ShapeRun[] = [];
    for (let k = 0; k < warmup + runs; k++) all.push(await submitOnce(url, graph, k < warmup));
    const timed = all.filter((r) => !r.warmup);
    const m = (f: (r: ShapeRun) => number) => median(timed.map(f));
    const medians = {
      graphPostMs: m((r) => r.graphPostMs),
      acceptMs: m((r) => r.acceptMs),
      submitToCompletedMs: m((r) => r.submitToCompletedMs),
      submitToEndEventMs: m((r) => r.submitToEndEventMs),
      serverMs: m((r) => r.serverMs),
      events: m((r) => r.events),
    };
    const { definition: _definition, ...shape } = graph;
    results.push({
      ...shape,
      durability,
      runs: all,
      median: medians,
      msPerLevel: medians.submitToCompletedMs / graph.levels,
    });
    benchLog(
      `${graph.name} (${durability}): ${graph.nodes} nodes, ${graph.levels} levels: ` +
        `${medians.submitToCompletedMs.toFixed(0)} ms to completed (median of ${timed.length})`,
    );
  }
  return results;
}

async function submitOnce(url: string, graph: ShapedGraph, warmup: boolean): Promise<ShapeRun> {
  const t0 = performance.now();
  const created = await httpJson(`${url}/graphs`, { body: graph.definition });
  if (created.status !== 201) throw new Error(`POST /graphs: ${created.status} ${show(created)}`);
  const graphPostMs = performance.now() - t0;
  const submittedAt = Date.now();
  const t1 = performance.now();
  const started = await httpJson(`${url}/graphs/${created.body.id}/executions`, { body: {} });
  const acceptMs = performance.now() - t1;
  if (started.status !== 201)
    throw new Error(`POST executions: ${started.status} ${show(started)}`);
  const id = started.body.id as string;
  const end = await waitForStreamEnd(url, id, 120_000);
  const final = await httpJson(`${url}/executions/${id}`);
  const record = final.body as {
    status: string;
    createdAt: string;
    completedAt: string | null;
    nodes: { status: string }[];
  };
  const done = record.nodes?.filter((n) => n.status === 'completed').length ?? 0;
  if (end.status !== 'completed' || record.status !== 'completed' || done !== graph.nodes) {
    throw new Error(
      `${graph.name}: execution ${id} ended ${end.status} (record: ${record.status}, ` +
        `${done}/${graph.nodes} nodes completed)`,
    );
  }
  await httpJson(`${url}/graphs/${created.body.id}`, { method: 'DELETE' });
  const completedAt = Date.parse(record.completedAt!);
  return {
    warmup,
    graphPostMs,
    acceptMs,
    submitToCompletedMs: completedAt - submittedAt,
    submitToEndEventMs: end.receivedAt - submittedAt,
    serverMs: completedAt - Date.parse(record.createdAt),
    events: end.events,
  };
}

function show(answer: { body: unknown }): string {
  return JSON.stringify(answer.body).slice(0, 500);
}
