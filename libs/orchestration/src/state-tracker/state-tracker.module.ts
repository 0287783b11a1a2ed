import { DynamicModule, Module } from '@nestjs/common';
import { ExecutionEventStream } from './execution-event.stream';
import { EXECUTION_STORE } from './execution-store.interface';
import { InMemoryExecutionStore } from './in-memory-execution.store';
import { MongoStoreModule } from './mongo/mongo-store.module';
import { RetentionService } from './retention.service';
import { StallDetector } from './stall-detector.service';
import { StateTracker } from './state-tracker.service';

/** How the state tracker persists. */
export interface StateTrackerModuleOptions {
  /** `mongo` (through @nestjs/mongoose) or `memory` (embedded, not durable). */
  store: 'memory' | 'mongo';
  /** @nestjs/mongoose connection name for the `mongo` store. */
  connectionName?: string;
}

/**
 * The state tracker: transition validation, the in-memory view of active executions, batched
 * conditional writes to the store, state events, the stall detector and retention.
 */
@Module({})
export class StateTrackerModule {
  static register(options: StateTrackerModuleOptions): DynamicModule {
    const storeModule: DynamicModule =
      options.store === 'mongo'
        ? MongoStoreModule.register(options.connectionName)
        : {
            module: InMemoryStoreModule,
            providers: [{ provide: EXECUTION_STORE, useValue: new InMemoryExecutionStore() }],
            exports: [EXECUTION_STORE],
          };
    return {
      module: StateTrackerModule,
      imports: [storeModule],
      providers: [StateTracker, StallDetector, RetentionService, ExecutionEventStream],
      exports: [StateTracker, StallDetector, RetentionService, ExecutionEventStream, storeModule],
    };
  }
}

/** Holds the embedded store's provider. */
@Module({})
class InMemoryStoreModule {}
