import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BUILT_IN_NODE_HANDLERS } from './handlers';
import { NodeHandlerExplorer } from './node-handler.explorer';
import { NodeHandlerRegistry } from './node-handler.registry';
import { NodeRunnerService } from './node-runner.service';

/**
 * The node runner: the handler registry (filled by discovery of `@NodeHandler` providers,
 * built-in and the host's own), the built-in node types, and the service that runs one attempt.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    NodeHandlerRegistry,
    NodeHandlerExplorer,
    NodeRunnerService,
    ...BUILT_IN_NODE_HANDLERS,
  ],
  exports: [NodeHandlerRegistry, NodeRunnerService],
})
export class NodeRunnerModule {}
