import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { OrchestrationError } from '../errors';
import { NodeHandlerMetadata } from './node-handler.decorator';
import { NodeHandlerRegistry } from './node-handler.registry';
import { NODE_HANDLER_METADATA } from './node-runner.constants';

/**
 * Walks every provider at module init and registers those marked `@NodeHandler()`,
 * built-in and user-defined alike.
 */
@Injectable()
export class NodeHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger('Trellis');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly registry: NodeHandlerRegistry,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype || typeof metatype !== 'function') continue;
      const meta = this.reflector.get<NodeHandlerMetadata | undefined>(
        NODE_HANDLER_METADATA,
        metatype,
      );
      if (!meta) continue;
      if (typeof (instance as { execute?: unknown }).execute !== 'function') {
        throw new OrchestrationError(
          'NODE_HANDLER_INVALID',
          `${metatype.name} is marked @NodeHandler('${meta.type}') but has no execute() method`,
        );
      }
      if (wrapper.isDependencyTreeStatic() === false) {
        throw new OrchestrationError(
          'NODE_HANDLER_INVALID',
          `${metatype.name} (@NodeHandler('${meta.type}')) must be a singleton provider, not request-scoped`,
        );
      }
      this.registry.register(meta.type, instance, meta);
    }
    this.logger.log(`Node types: ${this.registry.types().join(', ')}`);
  }
}
