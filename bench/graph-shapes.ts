import type { GraphDefinition, NodeDefinition } from '../libs/orchestration/src';
import type { BenchShape } from './bench.config';
import { seededRandom } from './seeded-random';

/** A benchmark graph: the definition plus its dependencies by node index (node `i` is `n${i}`). */
export interface BenchGraph {
  shape: BenchShape;
  definition: GraphDefinition;
  /** parents[i]: indices of the nodes that node `i` depends on. */
  parents: number[][];
  edges: number;
}

/** The node types a benchmark graph is made of. */
export type BenchNodeType = 'DELAY' | 'BENCH_NOOP';

/** Builds one node; `hold` marks the node the memory probe keeps running. */
function node(type: BenchNodeType, i: number, parents: number[], hold: boolean): NodeDefinition {
  const config = type === 'DELAY' ? { ms: 0 } : hold ? { i, hold: true } : { i };
  const def: NodeDefinition = { id: `n${i}`, type, config };
  if (parents.length > 0) def.dependsOn = parents.map((p) => `n${p}`);
  return def;
}

/** n nodes, each depending on the one before. */
export function chainParents(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
}

/** 1 -> width -> 1: a root, `width` nodes depending on it, a sink depending on all of them. */
export function fanParents(width: number): number[][] {
  const middle = Array.from({ length: width }, (_, i) => i + 1);
  return [[], ...middle.map(() => [0]), middle];
}

/** 1 <- width: `width` roots and a sink depending on all of them. */
export function fanInParents(width: number): number[][] {
  return [...Array.from({ length: width }, () => []), Array.from({ length: width }, (_, i) => i)];
}

/**
 * n nodes in layers of round(sqrt(n)); every node below the first layer depends on `k`
 * distinct nodes of the layer above, picked by a seeded generator (same graph every run).
 */
export function layeredParents(n: number, k: number, seed = 42): number[][] {
  const width = Math.max(1, Math.round(Math.sqrt(n)));
  const random = seededRandom(seed);
  const parents: number[][] = [];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    if (layer === 0) {
      parents.push([]);
      continue;
    }
    const above = (layer - 1) * width;
    const picks = new Set<number>();
    const want = Math.min(k, width);
    while (picks.size < want) picks.add(above + Math.floor(random() * width));
    parents.push([...picks]);
  }
  return parents;
}

/** The parents of a shape of the given size (see `ScenarioSpec.size`). */
export function parentsOf(shape: BenchShape, size: number, k: number): number[][] {
  if (shape === 'chain') return chainParents(size);
  if (shape === 'fan') return fanParents(size);
  if (shape === 'fanin') return fanInParents(size);
  return layeredParents(size, k);
}

/**
 * A graph definition of `type` nodes over `parents`. With `hold`, the last node (a sink: no
 * node depends on it) is a BENCH_NOOP that stays running until released.
 */
export function buildGraph(
  shape: BenchShape,
  parents: number[][],
  type: BenchNodeType,
  hold = false,
): BenchGraph {
  const last = parents.length - 1;
  const nodes = parents.map((p, i) =>
    hold && i === last ? node('BENCH_NOOP', i, p, true) : node(type, i, p, false),
  );
  return {
    shape,
    definition: { name: `bench-${shape}-${parents.length}-${type}`, nodes },
    parents,
    edges: parents.reduce((sum, p) => sum + p.length, 0),
  };
}
