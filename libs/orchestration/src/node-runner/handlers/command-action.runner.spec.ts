import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeExecutionError } from '../../errors';
import { resolveOrchestrationOptions } from '../../orchestration-options.defaults';
import { CommandActionRunner } from './command-action.runner';
import { waitFor } from './testing/wait-for.fixture';

const NODE = process.execPath;
const allowing = (...allowlist: string[]) =>
  new CommandActionRunner(
    resolveOrchestrationOptions({ allowCommands: true, commandAllowlist: allowlist }),
  );
const signal = () => new AbortController().signal;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('CommandActionRunner', () => {
  it('refuses any command when allowCommands is false (the default)', async () => {
    const runner = new CommandActionRunner(
      resolveOrchestrationOptions({ commandAllowlist: ['/bin/echo'] }),
    );
    const error = await runner.run({ argv: ['/bin/echo', 'hi'] }, signal()).catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({ retryable: false, code: 'COMMAND_NOT_ALLOWED' });
    expect(error.message).toMatch(/commands are disabled/);
  });

  it('refuses an executable that is not exactly in the allowlist', async () => {
    const error = await allowing('/bin/echo')
      .run({ argv: ['echo', 'hi'] }, signal())
      .catch((e) => e);
    expect(error).toMatchObject({ retryable: false, code: 'COMMAND_NOT_ALLOWED' });
    expect(error.message).toMatch(/not in commandAllowlist/);
  });

  it('passes arguments without a shell: shell syntax is printed literally', async () => {
    const result = await allowing('/bin/echo').run(
      { argv: ['/bin/echo', 'hello; echo hacked', '$(id)'] },
      signal(),
    );
    expect(result).toMatchObject({
      kind: 'command',
      ok: true,
      exitCode: 0,
      outputTail: 'hello; echo hacked $(id)\n',
    });
  });

  it('records a failing exit code as a result, with stdout and stderr in the tail', async () => {
    const script = 'process.stdout.write("out "); process.stderr.write("err"); process.exit(3)';
    const result = await allowing(NODE).run({ argv: [NODE, '-e', script] }, signal());
    expect(result).toMatchObject({ ok: false, exitCode: 3, outputTail: 'out err' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps only the last 4 KiB of a long output', async () => {
    const script = 'process.stdout.write("x".repeat(10000) + "THE END")';
    const { outputTail } = await allowing(NODE).run({ argv: [NODE, '-e', script] }, signal());
    expect(outputTail).toHaveLength(4096);
    expect(outputTail.endsWith('THE END')).toBe(true);
  });

  it('feeds input to stdin and passes env and cwd', async () => {
    const script =
      'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(s.toUpperCase(), process.env.GREETING, process.cwd()))';
    const result = await allowing(NODE).run(
      { argv: [NODE, '-e', script], input: 'shout', env: { GREETING: 'hi' }, cwd: tmpdir() },
      signal(),
    );
    expect(result.outputTail).toBe(`SHOUT hi ${tmpdir()}\n`);
  });

  it('fails retryably when the executable cannot be started', async () => {
    const error = await allowing('/no/such/tool')
      .run({ argv: ['/no/such/tool'] }, signal())
      .catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({ retryable: true, code: 'ACTION_TRANSPORT_FAILED' });
    expect(error.message).toMatch(/ENOENT/);
  });

  it('kills the process and the processes it started when aborted, rejecting with the reason', async () => {
    const pidFile = join(tmpdir(), `trellis-action-${process.pid}-${Date.now()}.json`);
    const script = `
      const { spawn } = require('node:child_process');
      const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid, grandchild.pid]));
      setInterval(() => {}, 1000);`;
    const controller = new AbortController();
    const running = allowing(NODE).run({ argv: [NODE, '-e', script] }, controller.signal);
    try {
      const [pid, grandchildPid] = await waitFor(() =>
        existsSync(pidFile) ? (JSON.parse(readFileSync(pidFile, 'utf8')) as number[]) : undefined,
      );
      const reason = new Error('cancelled by the user');
      controller.abort(reason);
      await expect(running).rejects.toBe(reason);
      expect(isAlive(pid)).toBe(false);
      await waitFor(() => (isAlive(grandchildPid) ? undefined : true));
    } finally {
      rmSync(pidFile, { force: true });
    }
  });
});
