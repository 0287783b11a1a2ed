import { HealthIndicatorService } from '@nestjs/terminus';
import { createTestEngine, TestEngine } from '../../engine/testing/create-test-engine';
import { StoreHealthIndicator } from './store.health-indicator';

describe('StoreHealthIndicator on the embedded store', () => {
  let t: TestEngine;
  let indicator: StoreHealthIndicator;

  beforeEach(async () => {
    t = await createTestEngine({}, { providers: [HealthIndicatorService, StoreHealthIndicator] });
    indicator = t.module.get(StoreHealthIndicator);
  });
  afterEach(async () => {
    jest.useRealTimers();
    jest.restoreAllMocks();
    await t.close();
  });

  it('is up when the store answers, naming the store and whether it is durable', async () => {
    expect(await indicator.check()).toEqual({
      store: { status: 'up', description: t.store.description, durable: false },
    });
  });

  it('reports under the key it is given', async () => {
    expect(Object.keys(await indicator.check('db'))).toEqual(['db']);
  });

  it('is down with the reason when the ping fails', async () => {
    jest.spyOn(t.store, 'ping').mockRejectedValue(new Error('connection refused'));
    expect(await indicator.check()).toEqual({
      store: { status: 'down', description: t.store.description, message: 'connection refused' },
    });
  });

  it('is down once the store has not answered within the timeout', async () => {
    jest.useFakeTimers();
    jest.spyOn(t.store, 'ping').mockReturnValue(new Promise<void>(() => undefined));
    let result: unknown;
    void indicator.check('store', 3000).then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(2999);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({
      store: {
        status: 'down',
        description: t.store.description,
        message: 'no answer within 3000 ms',
      },
    });
  });

  it('leaves no timer behind when the store answers in time', async () => {
    jest.useFakeTimers();
    await indicator.check('store', 3000);
    expect(jest.getTimerCount()).toBe(0);
  });
});
