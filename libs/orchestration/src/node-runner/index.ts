export { NodeRunnerModule } from './node-runner.module';
export { NodeHandler } from './node-handler.decorator';
export type { NodeHandlerMetadata } from './node-handler.decorator';
export { NodeHandlerRegistry } from './node-handler.registry';
export type { RegisteredNodeHandler } from './node-handler.registry';
export { NodeRunnerService } from './node-runner.service';
export { ExecutionStrategyRegistry } from './strategies/execution-strategy.registry';
export type { AttemptIdentity } from './handlers/attempt-identity';
export {
  FENCING_TOKEN_HEADER,
  FENCING_TOKEN_ENV,
  attemptHeaders,
  attemptEnv,
} from './handlers/attempt-identity';
export { NODE_HANDLER_METADATA } from './node-runner.constants';
export * from './node-context.interface';
export * from './node-type-handler.interface';
export * from './handlers';
