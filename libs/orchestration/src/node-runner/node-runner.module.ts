import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BUILT_IN_NODE_HANDLERS } from './handlers';
import { NodeHandlerExplorer } from './node-handler.explorer';
import { NodeHandlerRegistry } from './node-handler.registry';
import { NodeRunnerService } from './node-runner.service';
import { ExecutionStrategyRegistry } from './strategies/execution-strategy.registry';

/**
 * The node runner: the handler registry (filled by discovery of `@NodeHandler` providers,
 * built-in and the host's own), the built-in node types, the execution strategies, and the
 * service that runs one attempt.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    NodeHandlerRegistry,
    NodeHandlerExplorer,
    ExecutionStrategyRegistry,
    NodeRunnerService,
    ...BUILT_IN_NODE_HANDLERS,
  ],
  exports: [NodeHandlerRegistry, ExecutionStrategyRegistry, NodeRunnerService],
})
export class NodeRunnerModule {}
