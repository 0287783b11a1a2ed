import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { NODE_HANDLER_METADATA } from './node-runner.constants';
import { NodeHandlerOptions } from './node-type-handler.interface';

/** Metadata recorded by `@NodeHandler()`. */
export interface NodeHandlerMetadata extends NodeHandlerOptions {
  type: string;
}

/**
 * Marks a provider as the handler of a node type. The provider must implement `NodeTypeHandler`
 * and be listed in some module's providers; it is discovered at startup.
 *
 * @example `@NodeHandler('DEPLOY', { config: DeployConfig }) class DeployHandler implements NodeTypeHandler {}`
 */
export function NodeHandler(type: string, options: NodeHandlerOptions = {}): ClassDecorator {
  return applyDecorators(
    Injectable(),
    SetMetadata<string, NodeHandlerMetadata>(NODE_HANDLER_METADATA, { type, ...options }),
  );
}
