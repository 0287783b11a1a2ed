/**
 * `npm run bench`: no-op graphs on the in-memory store; the durable store (FerretDB on SQLite
 * and PostgreSQL) against BullMQ on Redis; real-world-shaped graphs and a sustained load over
 * HTTP against the built server; cancel and signal sent to executions another engine instance
 * owns (two processes on one database). Each in-process scenario runs in its own child process
 * (clean heap, its own peak RSS); results go to the console and to bench/results/latest.json.
 * Settings: see `readBenchConfig()` and bench/README.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readBenchConfig } from './bench.config';
import { BenchFailure, benchLog } from './bench.log';
import { BenchReport } from './bench.report';
import { checkTargets } from './bench.targets';
import { CHILD_TASK_ENV, runInChild, serveChildTask } from './child.task';
import { runCommandsSuite } from './commands.suite';
import { consoleTargets, renderConsoleResult, runConsoleSuite } from './console.suite';
import { runDurableSuite } from './durable.suite';
import { runHttpSuites } from './http.suite';
import { readQueuedConfig, runQueuedSuite } from './queued.suite';
import { machineInfo } from './machine.info';
import { renderReport } from './report.printer';
import { repoRoot } from './repo-root';
import { ScenarioResult } from './scenario.result';
import { scenarioLabel } from './scenario.label';
import { summarize } from './scenario.summary';

async function parent(): Promise<void> {
  const config = readBenchConfig();
  const machine = machineInfo();
  const started = performance.now();
  benchLog(`${machine.nproc} CPUs, ${machine.cpuModel}, node ${machine.node}`);
  benchLog(`suites: ${config.suites.join(', ')}`);
  const failures: BenchFailure[] = [];
  const memory: ScenarioResult[] = [];
  for (const spec of config.scenarios) {
    const name = `memory ${scenarioLabel(spec)}`;
    benchLog(
      `${name}: ${spec.warmup} warm-up + ${spec.iterations} timed run(s) of ${spec.nodeTypes.join(', ')}`,
    );
    const t0 = performance.now();
    try {
      memory.push(await runInChild({ kind: 'scenario', spec }));
      benchLog(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failures.push({ scenario: name, error: (error as Error).message });
      benchLog(`${name}: FAILED: ${(error as Error).message}`);
    }
  }
  const durable = config.suites.includes('durable')
    ? await runDurableSuite(config.durable, failures)
    : null;
  const http = await runHttpSuites(config.http, config.suites, failures);
  const commands = config.suites.includes('commands')
    ? await runCommandsSuite(config.commands, failures)
    : null;
  const queued = config.suites.includes('queued')
    ? await runQueuedSuite(readQueuedConfig(), failures)
    : null;
  const consoleResult = config.suites.includes('console') ? await runConsoleSuite(failures) : null;
  const report: BenchReport = {
    machine,
    memory,
    durable,
    ...http,
    commands,
    targets: [],
    failures,
    durationS: 0,
  };
  report.targets = [
    ...checkTargets(report),
    ...(queued?.targets ?? []),
    ...(consoleResult ? consoleTargets(consoleResult) : []),
  ];
  report.durationS = (performance.now() - started) / 1000;
  process.stdout.write(`\n${renderReport(report)}\n`);
  if (consoleResult) {
    process.stdout.write(`\n${renderConsoleResult(consoleResult)}\n`);
    const consoleFile = resolve(repoRoot(), 'bench', 'results', 'console.json');
    const consoleJson = {
      command: 'BENCH_SUITES=console npm run bench',
      machine,
      ...consoleResult,
    };
    writeFileSync(consoleFile, `${JSON.stringify(consoleJson, null, 2)}\n`);
  }
  // NOTE: a console-only run has its own file; it must not replace the engine's results.
  if (config.suites.every((suite) => suite === 'console')) return;
  const file = resolve(repoRoot(), config.resultsFile);
  mkdirSync(dirname(file), { recursive: true });
  const json = {
    command: 'npm run bench',
    settings: config,
    ...report,
    queued,
    memory: memory.map((r) => ({ ...r, summary: summarize(r) })),
    durable: durable && {
      ...durable,
      results: durable.results.map((r) => ({ ...r, summary: summarize(r) })),
    },
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`\nwrote ${file} (${report.durationS.toFixed(0)} s in all)\n`);
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
const task = process.env[CHILD_TASK_ENV];
void (task ? serveChildTask(task) : parent());
