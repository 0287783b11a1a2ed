import { DelayHandler } from './delay.handler';
import { DelayConfigDto } from './dto/delay-config.dto';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { createNodeContext } from './testing/node-context.fixture';

describe('DelayHandler', () => {
  let handler: DelayHandler;

  beforeEach(async () => {
    handler = await createHandler(DelayHandler);
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('completes DELAY 0 synchronously, without a timer', async () => {
    const result = handler.execute(createNodeContext({ ms: 0 }).context);
    expect(result).not.toBeInstanceOf(Promise);
    expect(jest.getTimerCount()).toBe(0);
    await expect(Promise.resolve(result)).resolves.toEqual({ output: { waitedMs: 0 } });
  });

  it('waits the given milliseconds', async () => {
    let settled = false;
    const waiting = Promise.resolve(
      handler.execute(createNodeContext({ ms: 1500 }).context),
    ).finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(1499);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(waiting).resolves.toEqual({ output: { waitedMs: 1500 } });
  });

  it('rejects promptly with the reason when aborted, clearing its timer', async () => {
    const { context, controller } = createNodeContext({ ms: 60_000 });
    const waiting = Promise.resolve(handler.execute(context));
    await jest.advanceTimersByTimeAsync(100);
    const reason = new Error('execution cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('refuses to start once aborted', () => {
    const { context, controller } = createNodeContext({ ms: 0 });
    const reason = new Error('halted');
    controller.abort(reason);
    expect(() => handler.execute(context)).toThrow(reason);
  });

  it('accepts only a whole number of milliseconds from 0', () => {
    expect(configProblems(DelayConfigDto, { ms: 0 })).toEqual([]);
    expect(configProblems(DelayConfigDto, { ms: -1 })).toEqual(['ms: ms must not be less than 0']);
    expect(configProblems(DelayConfigDto, { ms: 1.5 })).toEqual([
      'ms: ms must be an integer number',
    ]);
    expect(configProblems(DelayConfigDto, {})).toEqual([
      'ms: ms must not be greater than 2147483647',
      'ms: ms must not be less than 0',
      'ms: ms must be an integer number',
    ]);
  });
});
