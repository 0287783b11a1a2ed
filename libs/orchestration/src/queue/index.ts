export { OrchestrationWorkerModule } from './orchestration-worker.module';
export type { OrchestrationWorkerOptions } from './orchestration-worker-options.interface';
export type { QueueOptions } from './queue-options.interface';
export type { NodeQueuePort, PoolStats } from '../node-runner/strategies/node-queue.port';
export { TRELLIS_NODE_QUEUE } from '../node-runner/node-runner.constants';
