import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { resolveOrchestrationOptions } from '../../orchestration-options.defaults';
import { NodeHandlerExplorer } from '../node-handler.explorer';
import { NodeHandlerRegistry } from '../node-handler.registry';
import { BUILT_IN_NODE_HANDLERS } from './index';

describe('BUILT_IN_NODE_HANDLERS', () => {
  let registry: NodeHandlerRegistry;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [
        NodeHandlerRegistry,
        NodeHandlerExplorer,
        ...BUILT_IN_NODE_HANDLERS,
        { provide: TRELLIS_OPTIONS, useValue: resolveOrchestrationOptions() },
      ],
    }).compile();
    await moduleRef.init();
    registry = moduleRef.get(NodeHandlerRegistry);
  });

  it('registers every built-in node type through the explorer', () => {
    expect(registry.types()).toEqual([
      'CLEANUP',
      'CONDITIONAL',
      'DATA_PROCESSING',
      'DELAY',
      'NOTIFICATION',
      'SETUP',
      'SYNCHRONIZATION',
      'TEST_EXECUTION',
      'VALIDATION',
    ]);
  });

  it('runs CLEANUP whatever its dependencies did and SYNCHRONIZATION when none failed', () => {
    expect(registry.get('CLEANUP')?.runWhen).toBe('allDone');
    expect(registry.get('SYNCHRONIZATION')?.runWhen).toBe('noneFailed');
    expect(registry.get('TEST_EXECUTION')?.runWhen).toBe('allSucceeded');
  });

  it('rejects a bad config of each type at graph validation', () => {
    expect(registry.validateConfig('DATA_PROCESSING', { expression: '$sum(' })).toEqual([
      expect.stringMatching(/^expression: expression is not a valid JSONata expression/),
    ]);
    expect(registry.validateConfig('DELAY', { ms: 5, extra: true })).toEqual([
      'extra: property extra should not exist',
    ]);
    expect(registry.validateConfig('SETUP', { command: { argv: ['make'] } })).toEqual([]);
  });
});
