import { NodeExecutionError } from '../../errors';
import { resolveOrchestrationOptions } from '../../orchestration-options.defaults';
import { ActionRunner } from './action.runner';

const NODE = process.execPath;
const runner = new ActionRunner(
  resolveOrchestrationOptions({ allowCommands: true, commandAllowlist: ['/bin/false', NODE] }),
);
const signal = () => new AbortController().signal;

describe('ActionRunner', () => {
  it('runs the command of a command action and returns its result', async () => {
    const result = await runner.run(
      { command: { argv: [NODE, '-e', 'console.log("ran")'] } },
      signal(),
    );
    expect(result).toMatchObject({ kind: 'command', ok: true, exitCode: 0, outputTail: 'ran\n' });
  });

  it('refuses an action with neither http nor command, without retry', async () => {
    await expect(runner.run({}, signal())).rejects.toMatchObject({
      retryable: false,
      code: 'ACTION_INVALID',
    });
  });

  it('fails retryably with the result in details when the action fails', async () => {
    const error = await runner
      .runOrThrow({ command: { argv: ['/bin/false'] } }, signal(), 'SETUP seed')
      .catch((e) => e);
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({
      retryable: true,
      code: 'ACTION_FAILED',
      message: 'SETUP seed failed: exit code 1',
    });
    expect(error.details).toMatchObject({ kind: 'command', ok: false, exitCode: 1 });
  });
});
