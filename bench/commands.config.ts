import { envChoice, envInt, envList } from './bench-env';

/** The commands a sender instance sends to executions another instance owns. */
export type BenchCommandType = 'signal' | 'cancel';

const COMMAND_TYPES: readonly BenchCommandType[] = ['signal', 'cancel'];

/** The `commands` suite: cancel and signal sent by one instance to executions another owns. */
export interface CommandsConfig {
  /** FerretDB backend the two instances share (`MONGODB_URI` when that is set). */
  backend: string;
  /** Command types measured, each on executions of its own graph. */
  types: BenchCommandType[];
  /** Timed commands per type. */
  commands: number;
  /** Untimed commands per type sent first (the sender's first reads, the JIT). */
  warmup: number;
  /** Executions the owner holds ready at once; the cancel graph's DELAY nodes each take a worker slot (64 by default). */
  batch: number;
  /** ms the sender waits after one command returned before it sends the next. */
  gapMs: number;
  /** The owner's `commandPollMs`; undefined: the library's default (50 ms). */
  pollMs?: number;
  /** How long the owner waits for a command's effect before the command counts as missed. */
  missAfterMs: number;
}

/**
 * Reads the `commands` suite settings:
 * BENCH_COMMANDS=200, BENCH_COMMANDS_WARMUP=10, BENCH_COMMANDS_BATCH=50,
 * BENCH_COMMANDS_GAP_MS=20, BENCH_COMMANDS_TYPES=signal,cancel, BENCH_COMMANDS_BACKEND=sqlite,
 * BENCH_COMMANDS_POLL_MS (unset: the library's default), BENCH_COMMANDS_MISS_MS=10000.
 */
export function readCommandsConfig(): CommandsConfig {
  const types = envList('BENCH_COMMANDS_TYPES', COMMAND_TYPES.join(','));
  for (const t of types) {
    if (!(COMMAND_TYPES as readonly string[]).includes(t))
      throw new Error(`BENCH_COMMANDS_TYPES must list some of ${COMMAND_TYPES.join(', ')}`);
  }
  const poll = envInt('BENCH_COMMANDS_POLL_MS', 0);
  return {
    backend: process.env.MONGODB_URI
      ? 'MONGODB_URI'
      : envChoice('BENCH_COMMANDS_BACKEND', ['sqlite', 'postgresql'], 'sqlite'),
    types: types as BenchCommandType[],
    commands: envInt('BENCH_COMMANDS', 200, 1),
    warmup: envInt('BENCH_COMMANDS_WARMUP', 10),
    batch: envInt('BENCH_COMMANDS_BATCH', 50, 1),
    gapMs: envInt('BENCH_COMMANDS_GAP_MS', 20),
    pollMs: poll > 0 ? poll : undefined,
    missAfterMs: envInt('BENCH_COMMANDS_MISS_MS', 10_000, 1),
  };
}
