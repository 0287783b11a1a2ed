import { BenchFailure, benchLog } from './bench.log';
import type { BenchCommandType, CommandsConfig } from './commands.config';
import {
  CommandInstance,
  InstanceConfig,
  OwnerMark,
  SentCommand,
  forkInstance,
} from './command-instance.process';
import { startMongoServer } from './ferretdb.server';
import { Distribution, distribution } from './percentiles';

/** The library's default `commandPollMs` (for the report when BENCH_COMMANDS_POLL_MS is unset). */
const DEFAULT_POLL_MS = 50;
const OWNER_ID = 'bench-owner';
const SENDER_ID = 'bench-sender';

/** One command: the sender's call and what the owner saw (wall-clock ms, see `OwnerMark`). */
export type CommandSample = SentCommand &
  Omit<OwnerMark, 'executionId'> & {
    /** Sent before the timed ones; not in the figures. */
    warmup: boolean;
  };

/** The figures of one command type over its timed commands, in ms. */
export interface CommandTypeResult {
  type: BenchCommandType;
  /** Timed commands sent. */
  sent: number;
  /** Calls that threw (their commands are not in the figures). */
  errors: number;
  /** Commands whose effect the owner did not see within `missAfterMs` (nor the execution end). */
  missed: number;
  /** Executions that ended otherwise than the command asked. */
  endedOtherwise: number;
  /** The judged latency: the sender's call .. the effect on the owner (`doneAt`). */
  toDone: Distribution;
  /** The sender's call .. the first transition the command caused on the owner (`appliedAt`). */
  toApplied: Distribution;
  /** The sender's call .. the effect stored in the owner's journal (its event arrived). */
  toStored: Distribution;
  /** The sender's `engine.signal()` / `engine.cancel()` call alone (read the journal, insert the command). */
  call: Distribution;
  /** The call returned (the command record is stored) .. the effect on the owner. */
  afterReturn: Distribution;
  samples: CommandSample[];
}

/** What the commands suite measured. */
export interface CommandsSuiteResult {
  server: string;
  owner: string;
  sender: string;
  /** The owner's `commandPollMs`. */
  pollMs: number;
  pollMsIsDefault: boolean;
  gapMs: number;
  batch: number;
  types: CommandTypeResult[];
}

/**
 * For each command type, two engine instances in two processes on a fresh database of one
 * FerretDB of the suite's own (or MONGODB_URI): the owner starts executions of a one-node graph
 * and holds them armed (a SYNCHRONIZATION gate waiting for a signal; a 30-minute DELAY running),
 * in batches of `batch`; the sender then signals / cancels each one, one call after the other,
 * `gapMs` apart. Nothing is sent while the owner starts a batch. A fresh database (and pair of
 * processes) per type, because FerretDB scans a collection for every lookup: the sender's call
 * reads the execution's journal, and slows as the database fills, so a type measured on what
 * the one before left would pay for it. A failed type is recorded; the suite goes on.
 */
export async function runCommandsSuite(
  config: CommandsConfig,
  failures: BenchFailure[],
): Promise<CommandsSuiteResult | null> {
  let server;
  try {
    server = await startMongoServer(config.backend);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    failures.push({ scenario: `commands: ${config.backend} server`, error: message });
    benchLog(`commands: no server (${message}); the suite is skipped`);
    return null;
  }
  const out: CommandsSuiteResult = {
    server: server.description,
    owner: OWNER_ID,
    sender: SENDER_ID,
    pollMs: config.pollMs ?? DEFAULT_POLL_MS,
    pollMsIsDefault: config.pollMs === undefined,
    gapMs: config.gapMs,
    batch: config.batch,
    types: [],
  };
  benchLog(`commands suite on ${server.description}`);
  try {
    for (const type of config.types) {
      const name = `commands ${type}`;
      benchLog(
        `${name}: ${config.warmup} warm-up + ${config.commands} timed, ${config.gapMs} ms apart, ` +
          `in batches of ${config.batch}; owner commandPollMs ${out.pollMs}`,
      );
      const t0 = performance.now();
      try {
        const dbName = `trellis_bench_commands_${type}_${process.pid}`;
        out.types.push(
          await withInstances(server.uri, dbName, config.pollMs, (owner, sender) =>
            measureType(owner, sender, type, config),
          ),
        );
        benchLog(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        failures.push({ scenario: name, error: (error as Error).message });
        benchLog(`${name}: FAILED: ${(error as Error).message}`);
      }
    }
  } finally {
    server.stop();
  }
  return out;
}

/** Starts the owner and the sender on `dbName`, runs `work`, closes both (the owner drops the database). */
async function withInstances<T>(
  uri: string,
  dbName: string,
  pollMs: number | undefined,
  work: (owner: CommandInstance, sender: CommandInstance) => Promise<T>,
): Promise<T> {
  const owner: InstanceConfig = { uri, dbName, role: 'owner', instanceId: OWNER_ID, pollMs };
  const sender: InstanceConfig = { uri, dbName, role: 'sender', instanceId: SENDER_ID };
  const started = await Promise.allSettled([forkInstance(owner), forkInstance(sender)]);
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    return await work(instances[0], instances[1]);
  } finally {
    // NOTE: the sender first: the owner drops the database as it closes.
    for (const instance of instances.reverse()) await instance.close();
  }
}

async function measureType(
  owner: CommandInstance,
  sender: CommandInstance,
  type: BenchCommandType,
  config: CommandsConfig,
): Promise<CommandTypeResult> {
  const total = config.warmup + config.commands;
  const samples: CommandSample[] = [];
  while (samples.length < total) {
    const count = Math.min(config.batch, total - samples.length);
    const armed = await owner.call('prepare', { type, count });
    const ids = armed.map((m) => m.executionId);
    const sent = await sender.call('send', { type, ids, gapMs: config.gapMs });
    const marks = await owner.call('collect', { ids, timeoutMs: config.missAfterMs });
    for (const [k, s] of sent.entries()) {
      const { executionId: _id, ...mark } = marks[k];
      samples.push({ ...s, ...mark, warmup: samples.length < config.warmup });
    }
  }
  return summarizeType(type, samples);
}

function summarizeType(type: BenchCommandType, samples: CommandSample[]): CommandTypeResult {
  const timed = samples.filter((s) => !s.warmup);
  const answered = timed.filter((s) => s.error === undefined);
  const done = answered.filter((s) => s.doneAt !== undefined);
  const of = (list: CommandSample[], f: (s: CommandSample) => number) =>
    distribution(Float64Array.from(list, f));
  return {
    type,
    sent: timed.length,
    errors: timed.length - answered.length,
    missed: answered.filter((s) => s.doneAt === undefined && s.endedAs === undefined).length,
    endedOtherwise: answered.filter((s) => s.doneAt === undefined && s.endedAs !== undefined)
      .length,
    toDone: of(done, (s) => s.doneAt! - s.calledAt),
    toApplied: of(
      answered.filter((s) => s.appliedAt !== undefined),
      (s) => s.appliedAt! - s.calledAt,
    ),
    toStored: of(
      answered.filter((s) => s.storedAt !== undefined),
      (s) => s.storedAt! - s.calledAt,
    ),
    call: of(answered, (s) => s.callMs),
    afterReturn: of(done, (s) => s.doneAt! - (s.calledAt + s.callMs)),
    samples,
  };
}
