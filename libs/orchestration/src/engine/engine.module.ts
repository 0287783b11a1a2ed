import { DynamicModule, Module } from '@nestjs/common';
import { GraphValidator } from '../graph/graph.validator';
import { NodeRunnerModule } from '../node-runner/node-runner.module';
import { CommandInbox } from './command.inbox';
import { CommandOutbox } from './command.outbox';
import { EventLoopLoad } from './event-loop.load';
import { ExecutionEngine } from './execution-engine.service';
import { ExecutionLauncher } from './execution.launcher';
import { ExecutionReader } from './execution.reader';
import { GraphCatalog } from './graph.catalog';
import { LeaseState } from './lease.state';
import { NodeActionsService } from './node-actions.service';
import { OwnershipKeeper } from './ownership.keeper';
import { WorkerPool } from './worker-pool';

const PROVIDERS = [
  GraphValidator,
  WorkerPool,
  GraphCatalog,
  LeaseState,
  ExecutionReader,
  ExecutionLauncher,
  OwnershipKeeper,
  CommandOutbox,
  NodeActionsService,
  CommandInbox,
  EventLoopLoad,
  ExecutionEngine,
];

/**
 * The orchestration engine: the graph catalogue, the command facade (`ExecutionEngine`), runs
 * and claims (`ExecutionLauncher`), leases and recovery (`OwnershipKeeper`), commands left by
 * other instances (`CommandInbox`), reads, and the worker pool.
 */
@Module({})
export class EngineModule {
  /** @param stateTracker the configured `StateTrackerModule` to use. */
  static register(stateTracker: DynamicModule): DynamicModule {
    return {
      module: EngineModule,
      imports: [NodeRunnerModule, stateTracker],
      providers: PROVIDERS,
      exports: [GraphValidator, WorkerPool, GraphCatalog, ExecutionReader, ExecutionEngine],
    };
  }
}
