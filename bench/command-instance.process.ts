/**
 * One engine instance of the `commands` suite, in a process of its own (a fork of this file):
 * its own Nest app and OrchestrationModule (`instanceId` of its own) on the database it shares
 * with the other instance. The `owner` starts executions and timestamps what commands do to
 * them; the `sender` owns nothing and sends the commands. Driven over IPC by commands.suite.ts.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import type { Connection } from 'mongoose';
import {
  ExecutionEngine,
  OrchestrationModule,
  StateChangeEvent,
  StateTracker,
} from '../libs/orchestration/src';
import { ARMED_STATUS, COMMAND_NODE_ID, commandGraph } from './command.graphs';
import type { BenchCommandType } from './commands.config';

/** What an instance process is told at its start. */
export interface InstanceConfig {
  role: 'owner' | 'sender';
  uri: string;
  dbName: string;
  instanceId: string;
  /** The owner's `commandPollMs`; undefined: the library's default. */
  pollMs?: number;
}

/**
 * What the owner saw of one execution. Times are wall-clock ms (`Date.now()`, shared by the
 * processes of this machine); `appliedAt` and `doneAt` are the journal entries' own stamps
 * (when the owner made the transition), `armedAt` and `storedAt` when their event arrived (once stored).
 */
export interface OwnerMark {
  executionId: string;
  /** The command's node reached its armed status (signal: `waiting`; cancel: `running`), stored. */
  armedAt?: number;
  /** The first transition the command caused: signal the gate `waiting -> ready`; cancel the DELAY `-> cancelled`. */
  appliedAt?: number;
  /** The effect asked for: signal the gate `completed`; cancel the execution `cancelled`. */
  doneAt?: number;
  /** When the `doneAt` transition's event arrived, i.e. once it was stored in the journal. */
  storedAt?: number;
  /** The execution's final status when it ended otherwise than asked (e.g. `failed`). */
  endedAs?: string;
}

/** One command as the sender sent it. */
export interface SentCommand {
  executionId: string;
  /** `Date.now()` just before `engine.signal()` / `engine.cancel()` was called. */
  calledAt: number;
  /** How long that call took (performance.now()), in ms. */
  callMs: number;
  /** The call's error message, when it threw. */
  error?: string;
}

/** The requests an instance answers, and their answers. */
interface Requests {
  prepare: { args: { type: BenchCommandType; count: number }; answer: OwnerMark[] };
  send: {
    args: { type: BenchCommandType; ids: string[]; gapMs: number };
    answer: SentCommand[];
  };
  collect: { args: { ids: string[]; timeoutMs: number }; answer: OwnerMark[] };
  close: { args: Record<string, never>; answer: null };
}
type Op = keyof Requests;
type Request = { [K in Op]: { id: number; op: K; args: Requests[K]['args'] } }[Op];
type Reply = { id: number; answer: unknown } | { id: number; error: string } | { up: true };

/** A running instance process, as the suite drives it. */
export interface CommandInstance {
  readonly config: InstanceConfig;
  call<K extends Op>(op: K, args: Requests[K]['args']): Promise<Requests[K]['answer']>;
  /** Closes its app (which the process leaves for a dropped connection too) and waits for its exit. */
  close(): Promise<void>;
}

const INSTANCE_ENV = 'BENCH_COMMAND_INSTANCE';
/** A process that has not exited after this long is killed (as `runInChild` does). */
const CHILD_TIMEOUT_MS = Number(process.env.BENCH_CHILD_TIMEOUT_S ?? 600) * 1000;
/** How long the owner waits for a batch of executions to reach their armed status. */
const ARM_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Forks this file as an instance process and resolves once its app is up.
 * @throws Error when the process exits first (its stderr is inherited).
 */
export function forkInstance(config: InstanceConfig): Promise<CommandInstance> {
  const child: ChildProcess = fork(__filename, [], {
    env: { ...process.env, [INSTANCE_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const pending = new Map<number, { resolve: (a: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let up: (() => void) | undefined;
  let failUp: ((e: Error) => void) | undefined;
  const exited = new Promise<void>((resolveExit) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const error = new Error(`${config.role} instance exited (${signal ?? code})`);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      failUp?.(error);
      resolveExit();
    }),
  );
  child.on('message', (m: Reply) => {
    if ('up' in m) return up?.();
    const p = pending.get(m.id);
    pending.delete(m.id);
    if ('error' in m) p?.reject(new Error(`${config.role}: ${m.error}`));
    else p?.resolve(m.answer);
  });
  const instance: CommandInstance = {
    config,
    call: (op, args) =>
      new Promise((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${config.role} instance is gone`));
        const id = ++next;
        pending.set(id, { resolve: resolve as (a: unknown) => void, reject });
        child.send({ id, op, args });
      }),
    close: async () => {
      if (child.connected) await instance.call('close', {}).catch(() => undefined);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    up = () => resolve(instance);
    failUp = reject;
  });
}

/** The host app of one instance: the library on the shared database, nothing else. */
@Module({})
class CommandInstanceModule {
  static forInstance(config: InstanceConfig): DynamicModule {
    return {
      module: CommandInstanceModule,
      imports: [
        ScheduleModule.forRoot(),
        MongooseModule.forRoot(config.uri, { dbName: config.dbName }),
        // NOTE: default options otherwise (durable, 64 workers): what a host app gets.
        OrchestrationModule.forRoot({
          store: 'mongo',
          instanceId: config.instanceId,
          commandPollMs: config.pollMs,
        }),
      ],
    };
  }
}

/** The owner's side: starts executions, marks what happens to them (see `OwnerMark`). */
class Owner {
  private readonly graphs = new Map<BenchCommandType, string>();
  private readonly typeOfGraph = new Map<string, BenchCommandType>();
  private readonly marks = new Map<string, OwnerMark>();

  constructor(private readonly engine: ExecutionEngine) {}

  observe(event: StateChangeEvent): void {
    const type = this.typeOfGraph.get(event.graphId);
    if (!type) return;
    const arrived = Date.now();
    const at = event.at.getTime();
    let mark = this.marks.get(event.executionId);
    if (!mark) this.marks.set(event.executionId, (mark = { executionId: event.executionId }));
    if (event.kind === 'node' && event.nodeId === COMMAND_NODE_ID[type]) {
      if (event.to === ARMED_STATUS[type]) mark.armedAt ??= arrived;
      else if (type === 'signal' && event.from === 'waiting' && event.to === 'ready')
        mark.appliedAt ??= at;
      else if (type === 'signal' && event.to === 'completed') {
        mark.doneAt ??= at;
        mark.storedAt ??= arrived;
      } else if (type === 'cancel' && event.to === 'cancelled') mark.appliedAt ??= at;
    } else if (event.kind === 'execution' && type === 'cancel' && event.to === 'cancelled') {
      mark.doneAt ??= at;
      mark.storedAt ??= arrived;
    }
    if (
      event.kind === 'execution' &&
      ['completed', 'failed', 'cancelled'].includes(event.to) &&
      mark.doneAt === undefined
    )
      mark.endedAs = event.to;
  }

  /** Starts `count` executions of the type's graph, one after the other; answers once each is armed. */
  async prepare(type: BenchCommandType, count: number): Promise<OwnerMark[]> {
    let graphId = this.graphs.get(type);
    if (!graphId) {
      graphId = (await this.engine.createGraph(commandGraph(type))).id;
      this.graphs.set(type, graphId);
      this.typeOfGraph.set(graphId, type);
    }
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      ids.push((await this.engine.startExecution(graphId)).execution.id);
    }
    const marks = await this.waitFor(ids, (m) => m.armedAt !== undefined, ARM_TIMEOUT_MS);
    const unarmed = marks.filter((m) => m.armedAt === undefined);
    if (unarmed.length > 0) {
      throw new Error(
        `${unarmed.length}/${count} ${type} executions not ${ARMED_STATUS[type]} after ${ARM_TIMEOUT_MS} ms`,
      );
    }
    return marks;
  }

  /** The marks of `ids` once each got its effect or ended, or `timeoutMs` passed; forgets them. */
  async collect(ids: string[], timeoutMs: number): Promise<OwnerMark[]> {
    const marks = await this.waitFor(
      ids,
      (m) => m.storedAt !== undefined || m.endedAs !== undefined,
      timeoutMs,
    );
    for (const id of ids) this.marks.delete(id);
    return marks;
  }

  /** Cancels (here) whatever still runs, so the app closes without waiting for the DELAY nodes. */
  async cancelLeftovers(): Promise<void> {
    for (const id of this.engine.activeExecutionIds()) {
      await this.engine.cancel(id, 'bench-owner', 'end of the benchmark').catch(() => undefined);
    }
  }

  private async waitFor(
    ids: string[],
    ready: (m: OwnerMark) => boolean,
    timeoutMs: number,
  ): Promise<OwnerMark[]> {
    const deadline = Date.now() + timeoutMs;
    const current = () => ids.map((id) => this.marks.get(id) ?? { executionId: id });
    while (!current().every(ready) && Date.now() < deadline) await sleep(5);
    return current().map((m) => ({ ...m }));
  }
}

/** The sender's side: one command per execution, one after the other, `gapMs` apart. */
async function send(
  engine: ExecutionEngine,
  type: BenchCommandType,
  ids: string[],
  gapMs: number,
): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  for (const [k, executionId] of ids.entries()) {
    if (k > 0 && gapMs > 0) await sleep(gapMs);
    const calledAt = Date.now();
    const t0 = performance.now();
    let error: string | undefined;
    try {
      if (type === 'signal')
        await engine.signal(executionId, COMMAND_NODE_ID.signal, { k }, 'bench-sender');
      else await engine.cancel(executionId, 'bench-sender', 'cancelled by the benchmark');
    } catch (e) {
      error = (e as Error).message;
    }
    const callMs = performance.now() - t0;
    sent.push(
      error === undefined
        ? { executionId, calledAt, callMs }
        : { executionId, calledAt, callMs, error },
    );
  }
  return sent;
}

async function instanceMain(config: InstanceConfig): Promise<void> {
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    CommandInstanceModule.forInstance(config),
    { logger: ['error'] },
  );
  await app.init();
  const engine = app.get(ExecutionEngine);
  const owner = config.role === 'owner' ? new Owner(engine) : null;
  const subscription = owner && app.get(StateTracker).events$.subscribe((e) => owner.observe(e));
  const answer = async (request: Request): Promise<unknown> => {
    switch (request.op) {
      case 'prepare':
        return owner!.prepare(request.args.type, request.args.count);
      case 'send':
        return send(engine, request.args.type, request.args.ids, request.args.gapMs);
      case 'collect':
        return owner!.collect(request.args.ids, request.args.timeoutMs);
      case 'close':
        if (owner) {
          await owner.cancelLeftovers();
          await app.get<Connection>(getConnectionToken()).db?.dropDatabase();
        }
        subscription?.unsubscribe();
        await app.close();
        return null;
    }
  };
  process.on('message', (request: Request) => {
    answer(request).then(
      (result) =>
        process.send!({ id: request.id, answer: result }, () => {
          if (request.op === 'close') process.exit(0);
        }),
      (error: Error) => process.send!({ id: request.id, error: error.stack ?? String(error) }),
    );
  });
  process.once('disconnect', () => process.exit(1)); // the suite died
  process.send!({ up: true });
}

if (require.main === module && process.env[INSTANCE_ENV]) {
  instanceMain(JSON.parse(process.env[INSTANCE_ENV]) as InstanceConfig).catch((error: unknown) => {
    process.stderr.write(`[bench] command instance: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
