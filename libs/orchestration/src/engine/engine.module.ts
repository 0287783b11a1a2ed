import { DynamicModule, Module } from '@nestjs/common';
import { GraphValidator } from '../graph/graph.validator';
import { NodeRunnerModule } from '../node-runner/node-runner.module';
import { ExecutionEngine } from './execution-engine.service';
import { WorkerPool } from './worker-pool';

/** The orchestration engine: graph validation, scheduling, the worker pool, recovery. */
@Module({})
export class EngineModule {
  /** @param stateTracker the configured `StateTrackerModule` to use. */
  static register(stateTracker: DynamicModule): DynamicModule {
    return {
      module: EngineModule,
      imports: [NodeRunnerModule, stateTracker],
      providers: [GraphValidator, WorkerPool, ExecutionEngine],
      exports: [GraphValidator, WorkerPool, ExecutionEngine],
    };
  }
}
