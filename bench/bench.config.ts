/** Store a scenario runs on. */
export type BenchStore = 'memory' | 'mongo';

/** Graph shape of a scenario. */
export type BenchShape = 'chain' | 'fan' | 'layered';

/** One scenario: a shape of a given size on one store, run in its own child process. */
export interface ScenarioSpec {
  store: BenchStore;
  shape: BenchShape;
  /** chain: nodes; fan: width of the middle layer; layered: nodes. */
  size: number;
  /** layered: parents per node (3). */
  parents: number;
  /** Untimed runs before the timed ones (per node type). */
  warmup: number;
  /** Timed runs (per node type); the report takes their median. */
  iterations: number;
  /** Node types run, each as a separate graph of the same shape. */
  nodeTypes: ('DELAY' | 'BENCH_NOOP')[];
  /** Time `engine.validate()` on this graph (the 10,000-node target). */
  timeValidation: boolean;
  /** Measure retained engine heap per node with an execution held live. */
  measureMemory: boolean;
  /** mongo only: server URI. */
  uri?: string;
}

/** Everything `npm run bench` can be told through the environment. */
export interface BenchConfig {
  stores: BenchStore[];
  scenarios: ScenarioSpec[];
  /** Where the JSON results go. */
  resultsFile: string;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0`);
  return value;
}

/**
 * Reads the benchmark settings. Sizes default to the graphs in memory and to
 * FerretDB-friendly ones on MongoDB (FerretDB scans the collection on every conditional update).
 *
 * - BENCH_STORES=memory,mongo
 * - BENCH_CHAIN=1000, BENCH_FANOUT=10000, BENCH_LAYERED=10000, BENCH_PARENTS=3
 * - BENCH_MONGO_CHAIN=200, BENCH_MONGO_FANOUT=200, BENCH_MONGO_LAYERED=300
 * - BENCH_WARMUP=3, BENCH_ITERATIONS=10, BENCH_MIN_NODES=50000 (in memory, at least this many
 *   nodes warming up and timed per node type), BENCH_MONGO_WARMUP=1, BENCH_MONGO_ITERATIONS=5
 * - BENCH_RESULTS=bench/results/latest.json
 */
export function readBenchConfig(): BenchConfig {
  const stores = (process.env.BENCH_STORES ?? 'memory,mongo')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is BenchStore => s === 'memory' || s === 'mongo');
  const parents = int('BENCH_PARENTS', 3);
  const scenarios: ScenarioSpec[] = [];
  if (stores.includes('memory')) {
    const base = {
      store: 'memory' as const,
      parents,
      warmup: int('BENCH_WARMUP', 3),
      iterations: Math.max(1, int('BENCH_ITERATIONS', 10)),
      nodeTypes: ['DELAY', 'BENCH_NOOP'] as ScenarioSpec['nodeTypes'],
      measureMemory: true,
    };
    // NOTE: small graphs get more runs, so each type sees >= BENCH_MIN_NODES node executions
    // warming up and as many timed: a 1,000-node chain takes ~10 ms, too little for one sample.
    const minNodes = int('BENCH_MIN_NODES', 50_000);
    const scaled = (size: number) => ({
      size,
      warmup: Math.max(base.warmup, Math.ceil(minNodes / Math.max(1, size))),
      iterations: Math.max(base.iterations, Math.ceil(minNodes / Math.max(1, size))),
    });
    scenarios.push(
      { ...base, shape: 'chain', ...scaled(int('BENCH_CHAIN', 1000)), timeValidation: false },
      { ...base, shape: 'fan', ...scaled(int('BENCH_FANOUT', 10_000)), timeValidation: true },
      { ...base, shape: 'layered', ...scaled(int('BENCH_LAYERED', 10_000)), timeValidation: true },
    );
  }
  if (stores.includes('mongo')) {
    const base = {
      store: 'mongo' as const,
      parents,
      warmup: int('BENCH_MONGO_WARMUP', 1),
      iterations: Math.max(1, int('BENCH_MONGO_ITERATIONS', 5)),
      nodeTypes: ['BENCH_NOOP'] as ScenarioSpec['nodeTypes'],
      timeValidation: false,
      measureMemory: false,
    };
    scenarios.push(
      { ...base, shape: 'chain', size: int('BENCH_MONGO_CHAIN', 200) },
      { ...base, shape: 'fan', size: int('BENCH_MONGO_FANOUT', 200) },
      { ...base, shape: 'layered', size: int('BENCH_MONGO_LAYERED', 300) },
    );
  }
  return {
    stores,
    scenarios: scenarios.filter((s) => s.size > 0),
    resultsFile: process.env.BENCH_RESULTS ?? 'bench/results/latest.json',
  };
}
