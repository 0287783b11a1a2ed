import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ScenarioSpec } from './bench.config';
import { BullmqFigures, BullmqOptions, measureBullmq } from './bullmq-baseline';
import { ScenarioResult } from './scenario.result';
import { runScenario } from './scenario.runner';

/** Work `npm run bench` hands to a child process of its own (a clean heap, its own peak RSS). */
export type ChildTask =
  { kind: 'scenario'; spec: ScenarioSpec } | { kind: 'bullmq'; options: BullmqOptions };

/** What each kind of task answers. */
export interface ChildAnswers {
  scenario: ScenarioResult;
  bullmq: BullmqFigures;
}

/** The environment variable that tells run.js it is a child, and what to do. */
export const CHILD_TASK_ENV = 'BENCH_CHILD_TASK';

/** A child that has not answered after this long is killed (a hung server). */
const CHILD_TIMEOUT_MS = Number(process.env.BENCH_CHILD_TIMEOUT_S ?? 600) * 1000;

type ChildMessage = { result: unknown } | { error: string };

/**
 * Runs `task` in a fork of run.js and resolves with its answer.
 * @throws Error with the child's stack when it failed, or when it exited without an answer.
 */
export function runInChild<K extends ChildTask['kind']>(
  task: Extract<ChildTask, { kind: K }>,
): Promise<ChildAnswers[K]> {
  return new Promise((resolveRun, reject) => {
    const worker = fork(join(__dirname, 'run.js'), [], {
      env: { ...process.env, [CHILD_TASK_ENV]: JSON.stringify(task) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: ChildMessage | undefined;
    const timer = setTimeout(() => worker.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    worker.on('message', (m: ChildMessage) => (answer = m));
    worker.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (answer && 'result' in answer) resolveRun(answer.result as ChildAnswers[K]);
      else
        reject(
          new Error(
            answer && 'error' in answer
              ? answer.error
              : `${task.kind} process exited (${signal ?? code}) without a result`,
          ),
        );
    });
  });
}

/** The child's side: runs the task of CHILD_TASK_ENV, sends the answer (or the error), exits. */
export async function serveChildTask(raw: string): Promise<void> {
  const task = JSON.parse(raw) as ChildTask;
  let message: ChildMessage;
  try {
    const result =
      task.kind === 'scenario' ? await runScenario(task.spec) : await measureBullmq(task.options);
    message = { result };
  } catch (error) {
    message = { error: (error as Error).stack ?? String(error) };
  }
  process.send!(message, () => process.exit('error' in message ? 1 : 0));
}
