import { Test } from '@nestjs/testing';
import { TRELLIS_NODE_QUEUE } from '../node-runner.constants';
import { ConditionalStrategy } from './conditional.strategy';
import { DirectStrategy } from './direct.strategy';
import { ExecutionStrategyRegistry } from './execution-strategy.registry';
import { NodeQueuePort } from './node-queue.port';
import { ParallelStrategy } from './parallel.strategy';
import { QueuedStrategy } from './queued.strategy';
import { SequentialStrategy } from './sequential.strategy';

async function registry(queue?: NodeQueuePort): Promise<ExecutionStrategyRegistry> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      ExecutionStrategyRegistry,
      ...(queue ? [{ provide: TRELLIS_NODE_QUEUE, useValue: queue }] : []),
    ],
  }).compile();
  return moduleRef.get(ExecutionStrategyRegistry);
}

describe('ExecutionStrategyRegistry', () => {
  it('runs a node without a strategy DIRECT, and each named strategy with its runner', async () => {
    const strategies = await registry();

    expect(strategies.get()).toBeInstanceOf(DirectStrategy);
    expect(strategies.get('DIRECT')).toBeInstanceOf(DirectStrategy);
    expect(strategies.get('SEQUENTIAL')).toBeInstanceOf(SequentialStrategy);
    expect(strategies.get('PARALLEL')).toBeInstanceOf(ParallelStrategy);
    expect(strategies.get('CONDITIONAL')).toBeInstanceOf(ConditionalStrategy);
  });

  it('without a queue has no runner for QUEUED, and says what to set', async () => {
    const strategies = await registry();

    expect(strategies.get('QUEUED')).toBeUndefined();
    expect(strategies.unsupportedReason('QUEUED')).toMatch(
      /^QUEUED runs the node on BullMQ workers and needs a Redis, .*set REDIS_URL/,
    );
    expect(strategies.unsupportedReason('DIRECT')).toBeUndefined();
  });

  it('with a queue runs QUEUED through it', async () => {
    const queue: NodeQueuePort = {
      submit: () => Promise.resolve({ kind: 'completed', result: { output: 1 } }),
      stats: () => Promise.resolve([]),
      counts: () => ({ submitted: 0, completed: 0, failed: 0, staleResults: 0, reAdded: 0 }),
    };
    const strategies = await registry(queue);

    expect(strategies.get('QUEUED')).toBeInstanceOf(QueuedStrategy);
    expect(strategies.unsupportedReason('QUEUED')).toBeUndefined();
    const problems = strategies
      .get('QUEUED')!
      .validate(
        {
          id: 'q',
          type: 'T',
          strategy: 'QUEUED',
          queue: { pool: 'a b', priority: 0, x: 1 } as never,
        },
        () => [],
      );
    expect(problems.map((p) => p.path)).toEqual(['queue.x', 'queue.pool', 'queue.priority']);
  });

  it('knows no name outside the definition format, inherited object keys included', async () => {
    const strategies = await registry();

    for (const name of ['toString', 'constructor', '__proto__', 'direct', '']) {
      expect(strategies.get(name)).toBeUndefined();
      expect(strategies.unsupportedReason(name)).toBeUndefined();
    }
    expect(strategies.names()).toEqual([
      'DIRECT',
      'SEQUENTIAL',
      'PARALLEL',
      'CONDITIONAL',
      'QUEUED',
    ]);
  });
});
