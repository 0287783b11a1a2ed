/**
 * `npm run bench`: no-op graphs (a chain, a fan-out/fan-in, a layered DAG) on the in-memory
 * store and on the MongoDB store. Each scenario runs in its own child process (clean heap,
 * its own peak RSS); results go to the console and to bench/results/latest.json.
 * Settings: see `readBenchConfig()`.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ScenarioSpec, readBenchConfig } from './bench.config';
import { checkTargets } from './bench.targets';
import { MongoServer, provideMongoServer } from './ferretdb.server';
import { machineInfo } from './machine.info';
import { renderReport } from './report.printer';
import { repoRoot } from './repo-root';
import { ScenarioResult } from './scenario.result';
import { scenarioLabel } from './scenario.label';
import { runScenario } from './scenario.runner';
import { summarize } from './scenario.summary';

/** A child that has not answered after this long is killed (a hung server). */
const CHILD_TIMEOUT_MS = Number(process.env.BENCH_CHILD_TIMEOUT_S ?? 600) * 1000;

type ChildMessage = { result: ScenarioResult } | { error: string };

async function child(spec: ScenarioSpec): Promise<void> {
  let message: ChildMessage;
  try {
    message = { result: await runScenario(spec) };
  } catch (error) {
    message = { error: (error as Error).stack ?? String(error) };
  }
  process.send!(message, () => process.exit('error' in message ? 1 : 0));
}

function runChild(spec: ScenarioSpec): Promise<ScenarioResult> {
  return new Promise((resolveRun, reject) => {
    const worker = fork(__filename, [], {
      env: { ...process.env, BENCH_SCENARIO: JSON.stringify(spec) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: ChildMessage | undefined;
    const timer = setTimeout(() => worker.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    worker.on('message', (m: ChildMessage) => (answer = m));
    worker.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (answer && 'result' in answer) resolveRun(answer.result);
      else
        reject(
          new Error(
            answer && 'error' in answer
              ? answer.error
              : `scenario process exited (${signal ?? code}) without a result`,
          ),
        );
    });
  });
}

async function parent(): Promise<void> {
  const config = readBenchConfig();
  const machine = machineInfo();
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  log(`${machine.nproc} CPUs, ${machine.cpuModel}, node ${machine.node}`);
  let server: MongoServer | null = null;
  let mongoNote: string | null = null;
  const results: ScenarioResult[] = [];
  const failures: { scenario: string; error: string }[] = [];
  try {
    for (const spec of config.scenarios) {
      const name = `${spec.store} ${scenarioLabel(spec)}`;
      if (spec.store === 'mongo' && !server) {
        if (mongoNote) continue;
        try {
          server = await provideMongoServer();
          mongoNote = server.description;
          log(`MongoDB store on ${server.description}`);
        } catch (error) {
          mongoNote = `skipped: no server (${(error as Error).message.split('\n')[0]})`;
          log(`MongoDB scenarios ${mongoNote}`);
          continue;
        }
      }
      log(
        `${name}: ${spec.warmup} warm-up + ${spec.iterations} timed run(s) of ${spec.nodeTypes.join(', ')}`,
      );
      const t0 = performance.now();
      try {
        results.push(await runChild({ ...spec, uri: server?.uri }));
        log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        failures.push({ scenario: name, error: (error as Error).message });
        log(`${name}: FAILED: ${(error as Error).message}`);
      }
    }
  } finally {
    server?.stop();
  }
  const checks = checkTargets(results);
  process.stdout.write(`\n${renderReport(machine, results, checks, mongoNote)}\n`);
  const file = resolve(repoRoot(), config.resultsFile);
  mkdirSync(dirname(file), { recursive: true });
  const durationS = (performance.now() - started) / 1000;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        machine,
        command: 'npm run bench',
        durationS,
        mongo: mongoNote,
        sizes: config.scenarios.map((s) => `${s.store} ${scenarioLabel(s)}`),
        scenarios: results.map((r) => ({ ...r, summary: summarize(r) })),
        targets: checks,
        failures,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`\nwrote ${file} (${durationS.toFixed(0)} s in all)\n`);
  if (failures.length > 0) process.exitCode = 1;
}

// NOTE: the repo pins Node 24 through the `node` devDependency; numbers from another major
// (e.g. a system Node 20) are not comparable, so refuse rather than report them.
if (Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(
    `[bench] Node ${process.version}: run it with \`npm run bench\` (Node 24)\n`,
  );
  process.exit(1);
}
const scenario = process.env.BENCH_SCENARIO;
void (scenario ? child(JSON.parse(scenario) as ScenarioSpec) : parent());
