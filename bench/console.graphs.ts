import { seededRandom } from './seeded-random';

/**
 * Wide-levelled graphs for the console bench, built by code: level widths as given, each node
 * depending on up to `fanIn` distinct nodes of the level before (seeded, so every run draws the
 * same graph). DELAY nodes of `delayMs`, so an execution streams transitions at a steady pace.
 */
export function wideGraph(name: string, widths: number[], fanIn: number, delayMs: number) {
  const random = seededRandom(42);
  const levels: string[][] = widths.map((width, level) =>
    Array.from({ length: width }, (_, i) => `l${level}-n${i}`),
  );
  const nodes = levels.flatMap((ids, level) =>
    ids.map((id) => {
      const previous = levels[level - 1] ?? [];
      const deps = new Set<string>();
      while (deps.size < Math.min(fanIn, previous.length)) {
        deps.add(previous[Math.floor(random() * previous.length)]);
      }
      return { id, type: 'DELAY', dependsOn: [...deps], config: { ms: delayMs } };
    }),
  );
  const edges = nodes.reduce((sum, node) => sum + node.dependsOn.length, 0);
  return { definition: { name, maxParallelism: 64, nodes }, nodeCount: nodes.length, edges };
}

/** 2,000 nodes, about 6,000 edges, five levels of 148 to 600 nodes. */
export const BIG_LEVELS = [1, 50, 400, 600, 500, 300, 148, 1];
/** 10,000 nodes, about 30,000 edges. */
export const HUGE_LEVELS = [1, 200, 2000, 3000, 2500, 1500, 798, 1];
