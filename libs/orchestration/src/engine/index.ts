export { EngineModule } from './engine.module';
export { ExecutionEngine } from './execution-engine.service';
export type { EngineLoad, StartExecutionOptions } from './execution-engine.service';
export { WorkerPool } from './worker-pool';
export { retryDelayMs } from './retry-backoff';
