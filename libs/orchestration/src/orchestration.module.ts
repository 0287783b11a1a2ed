import { DynamicModule, Global, Module } from '@nestjs/common';
import { EngineModule } from './engine/engine.module';
import { NodeRunnerModule } from './node-runner/node-runner.module';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
} from './orchestration.module-definition';
import { TRELLIS_OPTIONS } from './orchestration.constants';
import {
  OrchestrationModuleOptions,
  ResolvedOrchestrationOptions,
} from './orchestration-options.interface';
import { TRELLIS_NODE_QUEUE } from './node-runner/node-runner.constants';
import { QueuedAttempts } from './queue/queued-attempts';
import { resolveOrchestrationOptions } from './orchestration-options.defaults';
import { StateTrackerModule } from './state-tracker/state-tracker.module';

/**
 * The one module a host app imports: composes the engine, the node runner and the state
 * tracker. The host owns `ScheduleModule.forRoot()` and, for the `mongo` store, the
 * `MongooseModule.forRoot()` connection (named by `connectionName`).
 *
 * @example OrchestrationModule.forRoot({ store: 'mongo', maxWorkers: 32 })
 */
@Module({})
export class OrchestrationModule extends ConfigurableModuleClass {
  static forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return OrchestrationModule.compose(super.forRoot(options), options);
  }

  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return OrchestrationModule.compose(super.forRootAsync(options), options);
  }

  private static compose(
    base: DynamicModule,
    extras: { isGlobal?: boolean; store?: 'memory' | 'mongo'; connectionName?: string },
  ): DynamicModule {
    const tracker = StateTrackerModule.register({
      store: extras.store ?? 'memory',
      connectionName: extras.connectionName,
    });
    const options: DynamicModule = {
      module: OrchestrationOptionsModule,
      imports: base.imports ?? [],
      providers: [
        ...(base.providers ?? []),
        {
          provide: TRELLIS_OPTIONS,
          useFactory: (raw: OrchestrationModuleOptions) => resolveOrchestrationOptions(raw),
          inject: [MODULE_OPTIONS_TOKEN],
        },
        {
          provide: TRELLIS_NODE_QUEUE,
          useFactory: (options: ResolvedOrchestrationOptions) =>
            options.queue ? new QueuedAttempts(options.queue, options.instanceId) : null,
          inject: [TRELLIS_OPTIONS],
        },
      ],
      exports: [TRELLIS_OPTIONS, TRELLIS_NODE_QUEUE],
    };
    return {
      module: OrchestrationModule,
      global: extras.isGlobal ?? false,
      imports: [options, NodeRunnerModule, tracker, EngineModule.register(tracker)],
      exports: [NodeRunnerModule, StateTrackerModule, EngineModule],
    };
  }
}

/** Makes the resolved options visible to the library's own modules (namespaced token). */
@Global()
@Module({})
class OrchestrationOptionsModule {}
