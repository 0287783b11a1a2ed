import { DynamicModule, Module } from '@nestjs/common';
import { ExecutionEventStream } from './execution-event.stream';
import { EXECUTION_STORE } from './execution-store.interface';
import { InMemoryExecutionStore } from './in-memory-execution.store';
import { InstanceIdentity } from './instance-identity';
import { JournalWriter } from './journal/journal.writer';
import { MongoStoreModule } from './mongo/mongo-store.module';
import { RetentionService } from './retention.service';
import { StallDetector } from './stall-detector.service';
import { StateTracker } from './state-tracker.service';
import { StoreHealth } from './store-health';

const PROVIDERS = [
  StateTracker,
  JournalWriter,
  StoreHealth,
  InstanceIdentity,
  StallDetector,
  RetentionService,
  ExecutionEventStream,
];

/** How the state tracker persists. */
export interface StateTrackerModuleOptions {
  /** `mongo` (through @nestjs/mongoose) or `memory` (embedded, not durable). */
  store: 'memory' | 'mongo';
  /** @nestjs/mongoose connection name for the `mongo` store. */
  connectionName?: string;
}

/**
 * The state tracker: transition validation, the in-memory view of active executions, the
 * journal writer (one page per execution per tick), store health, state events, the stall
 * detector and retention. Exports the store port (`EXECUTION_STORE`) for the engine's reads and claims.
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
      providers: PROVIDERS,
      exports: [...PROVIDERS, storeModule],
    };
  }
}

/** Holds the embedded store's provider. */
@Module({})
class InMemoryStoreModule {}
