export { EngineModule } from './engine.module';
export { ExecutionEngine } from './execution-engine.service';
export type { EngineLoad, StartExecutionOptions } from './execution-engine.service';
export { GraphCatalog } from './graph.catalog';
export { ExecutionReader } from './execution.reader';
export type { ExecutionState } from './execution.reader';
export { WorkerPool } from './worker-pool';
export { retryDelayMs } from './retry-backoff';
export { fencingToken } from './fencing-token';
