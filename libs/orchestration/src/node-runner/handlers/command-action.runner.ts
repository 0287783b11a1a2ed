import { ChildProcess, spawn } from 'node:child_process';
import { NodeExecutionError } from '../../errors';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { ActionResult } from './action-result.interface';
import { CommandActionDto } from './dto/command-action.dto';
import { OutputTailBuffer } from './output-tail.buffer';
import { AttemptIdentity, attemptEnv } from './attempt-identity';

/** After SIGTERM on abort, how long a process may take to exit before SIGKILL: 2000 ms. */
export const COMMAND_KILL_GRACE_MS = 2000;

/** The module options that decide whether a command may run. */
export type CommandPolicy = Pick<
  ResolvedOrchestrationOptions,
  'allowCommands' | 'commandAllowlist'
>;

/**
 * Runs a command without a shell, capturing its exit code, duration and output tail.
 * On abort the process group gets SIGTERM, then SIGKILL after `COMMAND_KILL_GRACE_MS`.
 */
export class CommandActionRunner {
  constructor(private readonly policy: CommandPolicy) {}

  /**
   * @returns the result, `ok` when the exit code is 0
   * @throws NodeExecutionError (`COMMAND_NOT_ALLOWED`, not retryable) when the policy refuses it
   * @throws NodeExecutionError (`ACTION_TRANSPORT_FAILED`, retryable) when it cannot be started
   * @throws the signal's reason once aborted and the process has exited
   */
  async run(
    command: CommandActionDto,
    signal: AbortSignal,
    attempt?: AttemptIdentity,
  ): Promise<ActionResult> {
    this.assertAllowed(command.argv);
    signal.throwIfAborted();
    const started = performance.now();
    const tail = new OutputTailBuffer();
    const child = spawn(command.argv[0], command.argv.slice(1), {
      cwd: command.cwd,
      env: { ...process.env, ...command.env, ...(attempt ? attemptEnv(attempt) : {}) },
      shell: false,
      stdio: 'pipe',
      // NOTE: its own process group, so an abort also ends the processes it started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    // NOTE: a process that exits without reading its stdin makes the write fail with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.input ?? '');
    return new Promise<ActionResult>((resolve, reject) => {
      const onAbort = () => {
        if (hasExited(child)) return reject(signal.reason as Error);
        terminate(child);
        child.once('exit', () => reject(signal.reason as Error));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => {
        // NOTE: after a successful start, errors (a failed kill) change nothing: 'close' still comes.
        if (child.pid !== undefined) return;
        signal.removeEventListener('abort', onAbort);
        reject(
          new NodeExecutionError(`Could not start ${command.argv[0]}: ${error.message}`, {
            code: 'ACTION_TRANSPORT_FAILED',
            cause: error,
          }),
        );
      });
      child.once('close', (code, endedBy) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        resolve({
          kind: 'command',
          ok: code === 0,
          ...(code === null ? { terminationSignal: endedBy ?? undefined } : { exitCode: code }),
          durationMs: Math.round(performance.now() - started),
          outputTail: tail.toString(),
        });
      });
    });
  }

  private assertAllowed(argv: string[]): void {
    const executable = argv?.[0];
    if (typeof executable !== 'string' || executable.length === 0) {
      throw new NodeExecutionError('command.argv must start with the executable', {
        retryable: false,
        code: 'COMMAND_NOT_ALLOWED',
      });
    }
    if (!this.policy.allowCommands) {
      throw new NodeExecutionError(
        `Command ${executable} refused: commands are disabled (set allowCommands: true and list it in commandAllowlist)`,
        { retryable: false, code: 'COMMAND_NOT_ALLOWED' },
      );
    }
    if (!this.policy.commandAllowlist.includes(executable)) {
      throw new NodeExecutionError(
        `Command ${executable} refused: argv[0] is not in commandAllowlist (exact match required)`,
        { retryable: false, code: 'COMMAND_NOT_ALLOWED' },
      );
    }
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function terminate(child: ChildProcess): void {
  signalGroup(child, 'SIGTERM');
  const escalation = setTimeout(() => signalGroup(child, 'SIGKILL'), COMMAND_KILL_GRACE_MS);
  escalation.unref();
  child.once('exit', () => clearTimeout(escalation));
}

function signalGroup(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32' || child.pid === undefined) child.kill(name);
    else process.kill(-child.pid, name);
  } catch {
    // NOTE: the group is already gone (ESRCH).
  }
}
