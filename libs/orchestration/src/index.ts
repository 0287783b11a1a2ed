/**
 * @trellis/orchestration — the public surface of the Trellis library. Anything not exported
 * here is internal and free to change.
 */
export * from './errors';
export * from './graph/graph-definition.interface';
export { CompiledGraph } from './graph/compiled-graph';
export { GraphValidator } from './graph/graph.validator';
export { NODE_ID_PATTERN } from './graph/node-definition.checks';
export { newId, isId, ID_PATTERN } from './ids';
export { OrchestrationModule } from './orchestration.module';
export type { OrchestrationModuleExtras } from './orchestration.module-definition';
export { TRELLIS_OPTIONS } from './orchestration.constants';
export * from './orchestration-options.interface';
export { resolveOrchestrationOptions } from './orchestration-options.defaults';
export * from './engine';
export * from './node-runner';
export * from './state-tracker';
export * from './http';
