/**
 * @trellis/orchestration — the public surface of the Trellis library. Anything not exported
 * here (or from the optional HTTP layer, `@trellis/orchestration/http`) is internal and free to change.
 */
export * from './errors';
export * from './graph/graph-definition.interface';
export { CompiledGraph } from './graph/compiled-graph';
export { GraphValidator } from './graph/graph.validator';
export { MAX_GRAPH_PROBLEMS } from './graph/graph.constants';
export { NODE_ID_PATTERN } from './graph/node-definition.checks';
export { newId, isId, ID_PATTERN } from './ids';
export { OrchestrationModule } from './orchestration.module';
export type { OrchestrationModuleExtras } from './orchestration.module-definition';
export { TRELLIS_OPTIONS } from './orchestration.constants';
export * from './orchestration-options.interface';
export { resolveOrchestrationOptions, DEFAULT_RETRY } from './orchestration-options.defaults';
export * from './engine';
export * from './node-runner';
export * from './state-tracker';
export * from './queue';
