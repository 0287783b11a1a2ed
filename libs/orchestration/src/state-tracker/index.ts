export { StateTrackerModule } from './state-tracker.module';
export type { StateTrackerModuleOptions } from './state-tracker.module';
export { StateTracker } from './state-tracker.service';
export type { OwnershipConflict } from './state-tracker.service';
export type { Stall } from './stall-detector.service';
export { StallDetector, STALL_DETECTOR_INTERVAL } from './stall-detector.service';
export { RetentionService, RETENTION_INTERVAL } from './retention.service';
export * from './execution-store.interface';
export * from './status.enum';
export { pendingNodeState } from './node-state.factory';
export * from './state-change.event';
export { ExecutionEventStream, storedEvents } from './execution-event.stream';
export type {
  ExecutionStreamEnd,
  ExecutionStreamItem,
  ExecutionStreamOptions,
} from './execution-event.stream';
export {
  NODE_TRANSITIONS,
  EXECUTION_TRANSITIONS,
  assertNodeTransition,
  assertExecutionTransition,
} from './state-transitions';
export { InMemoryExecutionStore } from './in-memory-execution.store';
export { MongoExecutionStore } from './mongo/mongo-execution.store';
export { MongoStoreModule } from './mongo/mongo-store.module';
