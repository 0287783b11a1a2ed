export { StateTrackerModule } from './state-tracker.module';
export type { StateTrackerModuleOptions } from './state-tracker.module';
export { StateTracker } from './state-tracker.service';
export { StoreHealth } from './store-health';
export type { StoreHealthState } from './store-health';
export type { Stall } from './stall-detector.service';
export { StallDetector, STALL_DETECTOR_INTERVAL } from './stall-detector.service';
export { RetentionService, RETENTION_INTERVAL } from './retention.service';
export * from './execution-record.interface';
export * from './execution-store.interface';
export type { JournalEntry } from './journal/journal-entry.interface';
export type {
  ExecutionCheckpoint,
  JournalPage,
  PageAppendResult,
} from './journal/journal-page.interface';
export type { JournalLoss } from './journal/journal.writer';
export * from './status.enum';
export * from './state-change.event';
export { ExecutionEventStream } from './execution-event.stream';
export type {
  ExecutionStreamEnd,
  ExecutionStreamItem,
  ExecutionStreamOptions,
} from './execution-event.stream';
export { NODE_TRANSITIONS, EXECUTION_TRANSITIONS } from './state-transitions';
export { InMemoryExecutionStore } from './in-memory-execution.store';
export { MongoStoreModule } from './mongo/mongo-store.module';
