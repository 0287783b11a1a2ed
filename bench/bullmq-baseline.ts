/**
 * BullMQ reference figures for `npm run bench`, taken on the same Redis in the same run as
 * Trellis's (see `measureBullmq`). Runs alone through bench/bullmq.main.ts.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FlowJob, FlowProducer, Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { median, percentile } from './percentiles';

/** What `measureBullmq` is told; every field has a default. */
export interface BullmqOptions {
  /** Default: `REDIS_URL`, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Children of the fan-in parent (10,000). */
  fanIn?: number;
  /** Jobs in the chain (1,000). */
  chain?: number;
  /** 1: the Workers run in this process; N > 1: in N forked processes (1). */
  workers?: number;
  /** Concurrency of the fan-in Worker (50; on 2 cores 1 gave ~4,200 jobs/s, 50 to 200 ~9,600). */
  concurrency?: number;
  /** Concurrency of the chain Worker (1; its hop p50 is ~0.1 ms shorter than at 50). */
  chainConcurrency?: number;
  /** Timed rounds; the figures are their medians (3). */
  runs?: number;
  /** Untimed rounds before them, on the same Workers (1). */
  warmup?: number;
}

/** One fan-in round (ms). */
export interface FanInRun {
  jobs: number;
  addMs: number;
  totalMs: number;
  jobsPerSec: number;
}

/** One chain round (ms). */
export interface ChainRun {
  jobs: number;
  addMs: number;
  totalMs: number;
  hopP50Ms: number;
  hopP90Ms: number;
  hopP99Ms: number;
  hopMaxMs: number;
}

/** Medians over the timed rounds (field by field), and the rounds themselves. */
export interface BullmqFigures {
  bullmqVersion: string;
  redisVersion: string;
  workers: number;
  concurrency: number;
  chainConcurrency: number;
  fanIn: FanInRun;
  chain: ChainRun;
  raw: { fanIn: FanInRun[]; chain: ChainRun[] };
}

type Link = [k: number, start: number, end: number];
type HostEvent = { kind: 'root' | 'last'; at: number };
/** `concurrency`: queue name to the concurrency of its Worker. */
type HostConfig = { redisUrl: string; prefix: string; concurrency: Record<string, number> };
type HostMessage = { event: HostEvent } | { reply: string; links?: Link[] };
type Host = { take(): Promise<Link[]>; close(): Promise<void> };
type WaitFor = (kind: HostEvent['kind']) => Promise<number>;

const HOST_ENV = 'TRELLIS_BULLMQ_HOST';
const [FAN_IN, CHAIN] = ['fan-in', 'chain'];
const ROUND_TIMEOUT_MS = 300_000;
/** Wall-clock ms at sub-µs resolution, comparable across the processes of this machine. */
const now = () => performance.timeOrigin + performance.now();

/** One Worker per queue; the processor timestamps the chain jobs and signals the last jobs. */
async function startHost(config: HostConfig, emit: (e: HostEvent) => void): Promise<Host> {
  const links: Link[] = [];
  const processor = async (job: Job) => {
    const start = now();
    if (job.name === 'link') {
      const end = now();
      links.push([job.data.k, start, end]);
      if (job.data.last) emit({ kind: 'last', at: end });
    } else if (job.name === 'root') emit({ kind: 'root', at: now() });
  };
  const { redisUrl, prefix } = config;
  const workers = Object.entries(config.concurrency).map(([queue, concurrency]) => {
    const worker = new Worker(queue, processor, {
      connection: { url: redisUrl },
      prefix,
      concurrency,
    });
    worker.on('error', (e) => process.stderr.write(`[bullmq] worker: ${e.message}\n`));
    worker.on('failed', (job, e) => process.stderr.write(`[bullmq] ${job?.name}: ${e.message}\n`));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const take = async () => links.splice(0);
  return { take, close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
}

/** The same Workers in a child process (see `hostMain`), driven over IPC. */
function forkHost(config: HostConfig, emit: (e: HostEvent) => void): Promise<Host> {
  const child: ChildProcess = fork(__filename, [], {
    env: { ...process.env, [HOST_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending: { resolve: (links: Link[]) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: HostMessage) =>
    'event' in m ? emit(m.event) : pending.shift()?.resolve(m.links ?? []),
  );
  child.on('exit', (code) => {
    for (const p of pending.splice(0)) p.reject(new Error(`BullMQ worker exited (${code})`));
  });
  const ask = (cmd?: string) =>
    new Promise<Link[]>((resolve, reject) => {
      if (cmd && !child.connected) return cmd === 'close' ? resolve([]) : reject(new Error('gone'));
      pending.push({ resolve, reject });
      if (cmd) child.send(cmd);
    });
  return ask().then(() => ({
    take: () => ask('take'),
    close: async () => void (await ask('close')),
  }));
}

async function hostMain(config: HostConfig): Promise<void> {
  const host = await startHost(config, (event) => process.send!({ event }));
  process.on('message', (cmd: string) => {
    if (cmd === 'take') void host.take().then((links) => process.send!({ reply: cmd, links }));
    else void host.close().then(() => process.send!({ reply: cmd }, () => process.exit(0)));
  });
  process.once('disconnect', () => process.exit(1)); // the parent died
  process.send!({ reply: 'ready' });
}

async function fanInRound(flow: FlowProducer, waitFor: WaitFor, fanIn: number): Promise<FanInRun> {
  const children = Array.from({ length: fanIn }, () => ({ name: 'leaf', queueName: FAN_IN }));
  const done = waitFor('root');
  const t0 = now();
  await flow.add({ name: 'root', queueName: FAN_IN, children });
  const addMs = now() - t0;
  const totalMs = (await done) - t0;
  return { jobs: fanIn + 1, addMs, totalMs, jobsPerSec: (fanIn + 1) / (totalMs / 1000) };
}

async function chainRound(flow: FlowProducer, waitFor: WaitFor, chain: number, hosts: Host[]) {
  let node: FlowJob = { name: 'link', queueName: CHAIN, data: { k: 0, last: chain === 1 } };
  for (let k = 1; k < chain; k++) {
    node = { name: 'link', queueName: CHAIN, data: { k, last: k === chain - 1 }, children: [node] };
  }
  const done = waitFor('last');
  const t0 = now();
  await flow.add(node);
  const addMs = now() - t0;
  const totalMs = (await done) - t0;
  const links = (await Promise.all(hosts.map((h) => h.take()))).flat().sort((a, b) => a[0] - b[0]);
  if (links.length !== chain) throw new Error(`BullMQ chain: ${links.length}/${chain} jobs ran`);
  const hops = new Float64Array(chain - 1).map((_, k) => links[k + 1][1] - links[k][2]).sort();
  const [hopP50Ms, hopP90Ms, hopP99Ms, hopMaxMs] = [50, 90, 99, 100].map((p) =>
    percentile(hops, p),
  );
  const run: ChainRun = { jobs: chain, addMs, totalMs, hopP50Ms, hopP90Ms, hopP99Ms, hopMaxMs };
  return run;
}

/**
 * Measures BullMQ on one Redis. Each process runs one Worker on a fan-in queue and one on a chain
 * queue, all up before the first round; the processors do nothing but take timestamps, which are
 * `performance.timeOrigin + performance.now()` in the process where they are taken (within one
 * process their differences are exactly `performance.now()`'s).
 *
 * - Fan-in: `flow.add()` of one parent whose `fanIn` children are no-op jobs. `totalMs` runs
 *   from just before `flow.add()` is called (the flow object is built before) until the
 *   parent's processor returns; `jobsPerSec` = (fanIn + 1) / totalMs; `addMs` is `flow.add()`
 *   alone (one MULTI holding every job: no child runs before it returns).
 * - Chain: a flow nested `chain` deep (no depth limit in BullMQ; its add recursion is async),
 *   job k + 1 being the parent of job k, so it runs once k completes. A hop is job k + 1's
 *   processor start minus job k's processor end (`chain - 1` hops, nearest-rank percentiles;
 *   BullMQ hands the parent to the Worker that completed the child, so with several processes
 *   the hops still stay within one). `totalMs`: from just before `flow.add()` until the last
 *   job's processor returns.
 *
 * Jobs are kept on completion (BullMQ's default) and cleaned after each round, untimed. All keys
 * live under a prefix unique to the call; the queues are obliterated and the prefix swept at the
 * end. Returns per-field medians over the timed rounds, and the rounds.
 */
export async function measureBullmq(options: BullmqOptions = {}): Promise<BullmqFigures> {
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { fanIn = 10_000, chain = 1_000, workers = 1, concurrency = 50 } = options;
  const { chainConcurrency = 1, warmup = 1 } = options;
  const runs = Math.max(1, options.runs ?? 3);
  const redis = new IORedis(redisUrl, { lazyConnect: true, retryStrategy: () => null });
  await redis.connect(); // fails fast: BullMQ itself would retry forever
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  const prefix = `trellis-bench-bullmq-${process.pid}-${randomBytes(4).toString('hex')}`;
  const config = {
    redisUrl,
    prefix,
    concurrency: { [FAN_IN]: concurrency, [CHAIN]: chainConcurrency },
  };
  const waiters = new Map<string, (at: number) => void>();
  const emit = (e: HostEvent) => waiters.get(e.kind)?.(e.at);
  const waitFor: WaitFor = (kind) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`BullMQ: no ${kind} job`)), ROUND_TIMEOUT_MS);
      timer.unref();
      waiters.set(kind, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  const connection = { url: redisUrl };
  const queues = [FAN_IN, CHAIN].map((name) => new Queue(name, { connection, prefix }));
  const clean = () => Promise.all(queues.map((q) => q.clean(0, 0, 'completed')));
  const flow = new FlowProducer({ connection, prefix });
  const hosts: Host[] = [];
  const raw: BullmqFigures['raw'] = { fanIn: [], chain: [] };
  try {
    if (workers <= 1) hosts.push(await startHost(config, emit));
    else hosts.push(...(await Promise.all([...Array(workers)].map(() => forkHost(config, emit)))));
    for (let i = 0; i < warmup + runs; i++) {
      const fan = await fanInRound(flow, waitFor, fanIn);
      await clean();
      const chained = await chainRound(flow, waitFor, chain, hosts);
      await clean();
      if (i < warmup) continue;
      raw.fanIn.push(fan);
      raw.chain.push(chained);
    }
  } finally {
    await Promise.all(hosts.map((h) => h.close()));
    await Promise.all(queues.map((q) => q.obliterate({ force: true })));
    await Promise.all([...queues.map((q) => q.close()), flow.close()]);
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
    }
    redis.disconnect();
  }
  const pkg = readFileSync(require.resolve('bullmq/package.json'), 'utf8');
  const bullmqVersion = (JSON.parse(pkg) as { version: string }).version;
  const medians = { fanIn: medianRun(raw.fanIn), chain: medianRun(raw.chain) };
  return { bullmqVersion, redisVersion, workers, concurrency, chainConcurrency, ...medians, raw };
}

function medianRun<T extends object>(runs: T[]): T {
  const keys = Object.keys(runs[0]) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k] as number))])) as T;
}

if (require.main === module && process.env[HOST_ENV]) {
  void hostMain(JSON.parse(process.env[HOST_ENV]) as HostConfig);
}
