import { NodeTimeoutError } from '../../errors';
import { SynchronizationConfigDto } from './dto/synchronization-config.dto';
import { SynchronizationHandler } from './synchronization.handler';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { createNodeContext } from './testing/node-context.fixture';

describe('SynchronizationHandler', () => {
  afterEach(() => jest.useRealTimers());

  it('joins the dependencies that completed (with or without output), leaving out a skipped branch', async () => {
    const handler = await createHandler(SynchronizationHandler);
    const { context } = createNodeContext(
      {},
      {
        upstream: { 'login-tests': {}, 'search-tests': null, 'skipped-branch': null },
        completedDependencies: ['login-tests', 'search-tests'],
      },
    );
    expect(handler.execute(context)).toEqual({
      output: { joined: ['login-tests', 'search-tests'] },
    });
  });

  it('waits for the signal and outputs its payload', async () => {
    jest.useFakeTimers();
    const handler = await createHandler(SynchronizationHandler);
    const { context, sendSignal } = createNodeContext(
      { waitForSignal: true },
      { node: { id: 'approval' } },
    );
    let settled = false;
    const waiting = Promise.resolve(handler.execute(context)).finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    sendSignal({ approved: true, by: 'qa-lead' });
    await expect(waiting).resolves.toEqual({ output: { approved: true, by: 'qa-lead' } });
  });

  it('is aborted by the node timeout while waiting', async () => {
    jest.useFakeTimers();
    const handler = await createHandler(SynchronizationHandler);
    const { context, controller } = createNodeContext(
      { waitForSignal: true },
      { node: { id: 'approval' } },
    );
    const timeout = new NodeTimeoutError('approval', 5000);
    setTimeout(() => controller.abort(timeout), 5000);
    const waiting = Promise.resolve(handler.execute(context));
    const outcome = expect(waiting).rejects.toBe(timeout);
    await jest.advanceTimersByTimeAsync(5000);
    await outcome;
  });

  it('accepts only a boolean waitForSignal', () => {
    expect(configProblems(SynchronizationConfigDto, {})).toEqual([]);
    expect(configProblems(SynchronizationConfigDto, { waitForSignal: 'yes' })).toEqual([
      'waitForSignal: waitForSignal must be a boolean value',
    ]);
  });
});
