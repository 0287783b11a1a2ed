import { Test } from '@nestjs/testing';
import { ConditionalStrategy } from './conditional.strategy';
import { DirectStrategy } from './direct.strategy';
import { ExecutionStrategyRegistry } from './execution-strategy.registry';
import { ParallelStrategy } from './parallel.strategy';
import { SequentialStrategy } from './sequential.strategy';

async function registry(): Promise<ExecutionStrategyRegistry> {
  const moduleRef = await Test.createTestingModule({
    providers: [ExecutionStrategyRegistry],
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

  it('has no runner for QUEUED, and says why it is refused', async () => {
    const strategies = await registry();

    expect(strategies.get('QUEUED')).toBeUndefined();
    expect(strategies.unsupportedReason('QUEUED')).toMatch(
      /^QUEUED is reserved for distributed execution/,
    );
    expect(strategies.unsupportedReason('DIRECT')).toBeUndefined();
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
