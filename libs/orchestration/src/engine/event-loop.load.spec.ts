import { OverloadedError } from '../errors';
import { createTestEngine, TestEngine } from './testing/create-test-engine';
import { EventLoopLoad } from './event-loop.load';
import { probe } from './testing/probe.handler';

/** Keeps the event loop busy for `ms` at a time, over and over for `forMs`: a process past its CPU. */
async function saturate(ms: number, forMs: number): Promise<void> {
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // busy
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('intake while the event loop runs late', () => {
  let t: TestEngine;
  afterEach(() => t.close());

  it('refuses new executions with OVERLOADED while the loop is late, and takes them again after', async () => {
    t = await createTestEngine({ maxEventLoopDelayMs: 100 });
    const graph = await t.engine.createGraph({ name: 'busy', nodes: [probe('a')] });
    await saturate(200, 1200);
    expect(t.module.get(EventLoopLoad).delayMs()).toBeGreaterThan(100);
    const refused = await t.engine.startExecution(graph.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OverloadedError);
    expect((refused as OverloadedError).message).toMatch(/event loop runs \d+ ms late/);
    expect((refused as OverloadedError).retryAfterMs).toBe(1000);
    // NOTE: two whole windows later the late second is forgotten.
    await tick(2100);
    const { execution } = await t.engine.startExecution(graph.id);
    await t.engine.waitFor(execution.id);
    expect(t.probe.order()).toEqual(['a']);
  });

  it('takes one long task in its stride', async () => {
    t = await createTestEngine({ maxEventLoopDelayMs: 100 });
    const graph = await t.engine.createGraph({ name: 'busy', nodes: [probe('a')] });
    await saturate(400, 1);
    await tick(1100);
    expect(t.module.get(EventLoopLoad).delayMs()).toBeLessThan(100);
    const { execution } = await t.engine.startExecution(graph.id);
    await t.engine.waitFor(execution.id);
  });

  it('does not measure when the limit is 0', async () => {
    t = await createTestEngine({ maxEventLoopDelayMs: 0 });
    const graph = await t.engine.createGraph({ name: 'busy', nodes: [probe('a')] });
    await saturate(200, 1200);
    expect(t.module.get(EventLoopLoad).delayMs()).toBe(0);
    const { execution } = await t.engine.startExecution(graph.id);
    await t.engine.waitFor(execution.id);
  });
});
