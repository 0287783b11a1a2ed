/**
 * Runs the BullMQ baseline alone and prints its figures (JSON of every round with `--json`):
 *
 *   npx tsc -p bench/tsconfig.json && npx node dist-bench/bench/bullmq.main.js \
 *     [--workers=1] [--concurrency=50] [--chain-concurrency=1] [--runs=3] [--warmup=1] \
 *     [--fan-in=10000] [--chain=1000]
 *
 * Redis: `REDIS_URL`, else redis://127.0.0.1:6379. See `measureBullmq` for how each figure is taken.
 */
import { parseArgs } from 'node:util';
import { BullmqFigures, measureBullmq } from './bullmq-baseline';

function readArgs() {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({
    options: {
      workers: text,
      concurrency: text,
      'chain-concurrency': text,
      runs: text,
      warmup: text,
      'fan-in': text,
      chain: text,
      json: { type: 'boolean' },
    },
  });
  const num = (
    name: 'workers' | 'concurrency' | 'chain-concurrency' | 'runs' | 'warmup' | 'fan-in' | 'chain',
    min = 1,
  ) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name}: an integer >= ${min}`);
    return value;
  };
  return {
    json: values.json === true,
    options: {
      workers: num('workers'),
      concurrency: num('concurrency'),
      chainConcurrency: num('chain-concurrency'),
      runs: num('runs'),
      warmup: num('warmup', 0),
      fanIn: num('fan-in'),
      chain: num('chain'),
    },
  };
}

const f = (value: number, digits = 2) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Human-readable lines: the medians, then each timed round. */
function formatBullmq(figures: BullmqFigures): string {
  const { fanIn, chain, raw } = figures;
  const lines = [
    `BullMQ ${figures.bullmqVersion} on Redis ${figures.redisVersion}: ${figures.workers} worker process(es); concurrency ` +
      `${figures.concurrency} (fan-in), ${figures.chainConcurrency} (chain); ` +
      `median of ${raw.fanIn.length} run(s)`,
    `  fan-in 1 <- ${fanIn.jobs - 1}: ${f(fanIn.jobsPerSec, 0)} jobs/s ` +
      `(total ${f(fanIn.totalMs, 0)} ms, flow.add ${f(fanIn.addMs, 0)} ms)`,
    `  chain of ${chain.jobs}: hop p50 ${f(chain.hopP50Ms, 3)} / p90 ${f(chain.hopP90Ms, 3)} / ` +
      `p99 ${f(chain.hopP99Ms, 3)} / max ${f(chain.hopMaxMs, 3)} ms ` +
      `(total ${f(chain.totalMs, 0)} ms, flow.add ${f(chain.addMs, 0)} ms)`,
  ];
  raw.fanIn.forEach((fan, i) => {
    const c = raw.chain[i];
    lines.push(
      `  run ${i + 1}: fan-in ${f(fan.jobsPerSec, 0)} jobs/s (add ${f(fan.addMs, 0)} ms); ` +
        `chain p50 ${f(c.hopP50Ms, 3)} p99 ${f(c.hopP99Ms, 3)} ms, total ${f(c.totalMs, 0)} ms`,
    );
  });
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { json, options } = readArgs();
  const figures = await measureBullmq(options);
  process.stdout.write(`${json ? JSON.stringify(figures, null, 2) : formatBullmq(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
