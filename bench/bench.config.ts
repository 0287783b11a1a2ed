import type { Durability } from '../libs/orchestration/src';
import { envInt, envList } from './bench-env';
import { CommandsConfig, readCommandsConfig } from './commands.config';
import { HttpConfig, readHttpConfig } from './http.config';

/** Store a scenario runs on. */
export type BenchStore = 'memory' | 'mongo';

/** Graph shape of a scenario. */
export type BenchShape = 'chain' | 'fan' | 'fanin' | 'layered';

/** Parts of `npm run bench`, chosen with BENCH_SUITES. */
export type BenchSuite =
  'memory' | 'durable' | 'shapes' | 'load' | 'commands' | 'queued' | 'console';

const SUITES: readonly BenchSuite[] = [
  'memory',
  'durable',
  'shapes',
  'load',
  'commands',
  'queued',
  'console',
];

/** One scenario: a shape of a given size on one store, run in its own child process. */
export interface ScenarioSpec {
  store: BenchStore;
  shape: BenchShape;
  /** chain: nodes; fan: width of the middle layer; fanin: roots; layered: nodes. */
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
  /** mongo only: how journal writes relate to node launches. */
  durability?: Durability;
  /** mongo only: the server, for the report (`sqlite`, `postgresql` or `MONGODB_URI`). */
  backend?: string;
  /** mongo only: tiny insertOne round trips timed after each run, in the same database. */
  floorInserts?: number;
  /** mongo only: server URI. */
  uri?: string;
}

/** The durable-store suite: Trellis on FerretDB backends, and BullMQ on Redis, in one run. */
export interface DurableConfig {
  /** FerretDB backends run in `durable` mode (or `MONGODB_URI` when that is set). */
  backends: string[];
  /** Backends also run in `write-behind` mode, for comparison. */
  writeBehindBackends: string[];
  fanIn: number;
  chain: number;
  warmup: number;
  iterations: number;
  floorInserts: number;
  /** Whether to measure BullMQ (same sizes and runs) on REDIS_URL or 127.0.0.1:6379. */
  bullmq: boolean;
}

/** Everything `npm run bench` can be told through the environment. */
export interface BenchConfig {
  suites: BenchSuite[];
  /** The in-memory scenarios. */
  scenarios: ScenarioSpec[];
  durable: DurableConfig;
  http: HttpConfig;
  commands: CommandsConfig;
  /** Where the JSON results go. */
  resultsFile: string;
}

/**
 * Reads the benchmark settings (see bench/README.md for what each suite measures).
 *
 * - BENCH_SUITES=memory,durable,shapes,load,commands,queued,console
 * - In memory: BENCH_CHAIN=1000, BENCH_FANOUT=10000, BENCH_LAYERED=10000, BENCH_PARENTS=3,
 *   BENCH_WARMUP=3, BENCH_ITERATIONS=10, BENCH_MIN_NODES=50000 (at least this many nodes
 *   warming up and timed per node type)
 * - Durable: BENCH_BACKENDS=sqlite,postgresql, BENCH_WRITE_BEHIND=sqlite (empty: none),
 *   BENCH_DURABLE_FANIN=10000, BENCH_DURABLE_CHAIN=1000, BENCH_DURABLE_WARMUP=1,
 *   BENCH_DURABLE_ITERATIONS=3, BENCH_FLOOR_INSERTS=500, BENCH_BULLMQ=1 (0: skip BullMQ)
 * - HTTP: see `readHttpConfig()`
 * - Commands: see `readCommandsConfig()`
 * - BENCH_RESULTS=bench/results/latest.json
 */
export function readBenchConfig(): BenchConfig {
  const suites = envList('BENCH_SUITES', SUITES.join(',')).filter((s): s is BenchSuite =>
    (SUITES as readonly string[]).includes(s),
  );
  return {
    suites,
    scenarios: suites.includes('memory') ? memoryScenarios() : [],
    durable: readDurableConfig(),
    http: readHttpConfig(),
    commands: readCommandsConfig(),
    resultsFile: process.env.BENCH_RESULTS ?? 'bench/results/latest.json',
  };
}

function memoryScenarios(): ScenarioSpec[] {
  const base = {
    store: 'memory' as const,
    parents: envInt('BENCH_PARENTS', 3),
    warmup: envInt('BENCH_WARMUP', 3),
    iterations: Math.max(1, envInt('BENCH_ITERATIONS', 10)),
    nodeTypes: ['DELAY', 'BENCH_NOOP'] as ScenarioSpec['nodeTypes'],
    measureMemory: true,
  };
  // NOTE: small graphs get more runs, so each type sees >= BENCH_MIN_NODES node executions
  // warming up and as many timed: a 1,000-node chain takes ~10 ms, too little for one sample.
  const minNodes = envInt('BENCH_MIN_NODES', 50_000);
  const scaled = (size: number) => ({
    size,
    warmup: Math.max(base.warmup, Math.ceil(minNodes / Math.max(1, size))),
    iterations: Math.max(base.iterations, Math.ceil(minNodes / Math.max(1, size))),
  });
  const scenarios: ScenarioSpec[] = [
    { ...base, shape: 'chain', ...scaled(envInt('BENCH_CHAIN', 1000)), timeValidation: false },
    { ...base, shape: 'fan', ...scaled(envInt('BENCH_FANOUT', 10_000)), timeValidation: true },
    { ...base, shape: 'layered', ...scaled(envInt('BENCH_LAYERED', 10_000)), timeValidation: true },
  ];
  return scenarios.filter((s) => s.size > 0);
}

function readDurableConfig(): DurableConfig {
  const given = Boolean(process.env.MONGODB_URI);
  return {
    backends: given ? ['MONGODB_URI'] : envList('BENCH_BACKENDS', 'sqlite,postgresql'),
    writeBehindBackends: given ? ['MONGODB_URI'] : envList('BENCH_WRITE_BEHIND', 'sqlite'),
    fanIn: envInt('BENCH_DURABLE_FANIN', 10_000),
    chain: envInt('BENCH_DURABLE_CHAIN', 1000, 2),
    warmup: envInt('BENCH_DURABLE_WARMUP', 1),
    iterations: envInt('BENCH_DURABLE_ITERATIONS', 3, 1),
    floorInserts: envInt('BENCH_FLOOR_INSERTS', 500, 1),
    bullmq: process.env.BENCH_BULLMQ !== '0',
  };
}

/** The durable-suite scenarios of one backend in one mode: fan-in 1 <- N, then the chain. */
export function durableScenarios(
  config: DurableConfig,
  backend: string,
  durability: Durability,
): ScenarioSpec[] {
  const base = {
    store: 'mongo' as const,
    parents: 0,
    warmup: config.warmup,
    iterations: config.iterations,
    nodeTypes: ['BENCH_NOOP'] as ScenarioSpec['nodeTypes'],
    timeValidation: false,
    measureMemory: false,
    durability,
    backend,
    floorInserts: config.floorInserts,
  };
  const specs: ScenarioSpec[] = [
    { ...base, shape: 'fanin', size: config.fanIn },
    { ...base, shape: 'chain', size: config.chain },
  ];
  return specs.filter((s) => s.size > 0);
}
