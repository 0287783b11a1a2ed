import { DagBuilder, ShapedGraph } from './dag.builder';
import { randomInt, seededRandom } from './seeded-random';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A CI pipeline: checkout, 3 setups, 400 compile units (each needs the dependency and
 * toolchain setups: fan-outs of 400), a unit test per unit (plus a shared unit), 16 packages,
 * 300 integration tests over 2-3 packages, a gate over every test (fan-in 700), 250 deploy
 * targets (fan-out 250), a smoke test each, one release. 1,622 nodes, 9 levels.
 */
export function ciPipeline(seed = 1): ShapedGraph {
  const random = seededRandom(seed);
  const g = new DagBuilder();
  const checkout = g.add('checkout');
  const [deps, toolchain, cache] = ['deps', 'toolchain', 'cache'].map((s) =>
    g.add(`setup:${s}`, [checkout]),
  );
  const compile = range(400).map((k) =>
    g.add(`compile:${k}`, random() < 0.5 ? [deps, toolchain, cache] : [deps, toolchain]),
  );
  const units = range(400).map((k) =>
    g.add(`unit:${k}`, [compile[k], compile[randomInt(random, 0, 399)]]),
  );
  const packages = range(16).map((p) =>
    g.add(
      `package:${p}`,
      compile.filter((_, k) => k % 16 === p),
    ),
  );
  const integration = range(300).map((j) =>
    g.add(
      `it:${j}`,
      range(randomInt(random, 2, 3)).map(() => packages[randomInt(random, 0, 15)]),
    ),
  );
  const gate = g.add('gate', [...units, ...integration]);
  const smoke = range(250).map((r) => g.add(`smoke:${r}`, [g.add(`deploy:${r}`, [gate])]));
  g.add('release', smoke);
  return g.build('ci-pipeline', 'CI: 400 compile units, tests, packages, a gate, 250 deploys');
}

/**
 * A data pipeline: 12 sources of 32 partitions each, every partition extracted, validated and
 * transformed (with a dimension table loaded once: a fan-out of 384), partitions merged back
 * per source, 4 joins of 3 sources, repartitioned into 256 aggregates (each over every join),
 * each written, then published and 8 reports. 1,703 nodes, 11 levels.
 */
export function dataPipeline(): ShapedGraph {
  const g = new DagBuilder();
  const start = g.add('start');
  const dimensions = g.add('dimensions:load', [start]);
  const merges = range(12).map((s) => {
    const source = g.add(`source:${s}`, [start]);
    const transformed = range(32).map((p) => {
      const extract = g.add(`extract:${s}:${p}`, [source]);
      const validate = g.add(`validate:${s}:${p}`, [extract]);
      return g.add(`transform:${s}:${p}`, [validate, dimensions]);
    });
    return g.add(`merge:${s}`, transformed);
  });
  const joins = range(4).map((j) => g.add(`join:${j}`, merges.slice(j * 3, j * 3 + 3)));
  const writes = range(256).map((q) => g.add(`write:${q}`, [g.add(`aggregate:${q}`, joins)]));
  const publish = g.add('publish', writes);
  for (const r of range(8)) g.add(`report:${r}`, [publish]);
  return g.build('data-pipeline', 'ETL: 384 partitions that rejoin, repartitioned into 256');
}

/**
 * A random layered DAG of 1,500 nodes: 12 layers of random width (at least 20 roots), each
 * node below the first with 3 or 4 distinct parents, one in the layer just above and the others
 * there (70 %) or in any earlier layer (30 %). 12 levels.
 */
export function randomLayered(seed = 3, total = 1500, layerCount = 12): ShapedGraph {
  const random = seededRandom(seed);
  const weights = range(layerCount).map(() => 40 + random() * 180);
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.max(20, Math.floor((w / sum) * total)));
  widths[layerCount - 1] += total - widths.reduce((a, b) => a + b, 0);
  const g = new DagBuilder();
  const layers: string[][] = [];
  for (let l = 0; l < layerCount; l++) {
    const layer: string[] = [];
    for (let i = 0; i < widths[l]; i++) {
      const id = `l${l}:${i}`;
      if (l === 0) {
        layer.push(g.add(id));
        continue;
      }
      const above = layers[l - 1];
      const parents = new Set([above[randomInt(random, 0, above.length - 1)]]);
      const want = randomInt(random, 3, 4);
      while (parents.size < want) {
        const from = random() < 0.7 ? above : layers[randomInt(random, 0, l - 1)];
        parents.add(from[randomInt(random, 0, from.length - 1)]);
      }
      layer.push(g.add(id, [...parents]));
    }
    layers.push(layer);
  }
  return g.build('random-layered', 'random DAG: 12 layers, 3-4 parents per node');
}

/** The three real-world-shaped graphs the HTTP suite submits, in order. */
export function realWorldGraphs(): ShapedGraph[] {
  return [ciPipeline(), dataPipeline(), randomLayered()];
}

/**
 * The small graph of the sustained load: a build-and-deploy of 10 nodes and 12 edges
 * (checkout; lint and build; three steps after build; package; staging deploy; smoke; done).
 */
export function smallPipeline(): ShapedGraph {
  const g = new DagBuilder();
  const checkout = g.add('checkout');
  const lint = g.add('lint', [checkout]);
  const build = g.add('build', [checkout]);
  const [unit, integration, docs] = ['unit', 'integration', 'docs'].map((s) => g.add(s, [build]));
  const pkg = g.add('package', [lint, unit, integration]);
  const smoke = g.add('smoke', [g.add('deploy-staging', [pkg])]);
  g.add('done', [docs, smoke]);
  return g.build('small-pipeline', 'build and deploy: 10 nodes');
}
