import { ModuleMetadata, Provider } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { OrchestrationModule } from '../../orchestration.module';
import { OrchestrationModuleExtras } from '../../orchestration.module-definition';
import { OrchestrationModuleOptions } from '../../orchestration-options.interface';
import { EXECUTION_STORE, ExecutionStore } from '../../state-tracker/execution-store.interface';
import { StateTracker } from '../../state-tracker/state-tracker.service';
import { ExecutionEngine } from '../execution-engine.service';
import { ProbeHandler } from './probe.handler';

/** A started Nest app context with the library on the embedded store, plus the PROBE type. */
export interface TestEngine {
  module: TestingModule;
  engine: ExecutionEngine;
  tracker: StateTracker;
  store: ExecutionStore;
  probe: ProbeHandler;
  close(): Promise<void>;
}

/**
 * Builds the library the way a host app does. Pass `store` to share one embedded store between
 * two app instances (a restart); `imports` for what the host adds, such as its Mongoose
 * connection for `options.store: 'mongo'`.
 */
export async function createTestEngine(
  options: OrchestrationModuleOptions & Pick<OrchestrationModuleExtras, 'store'> = {},
  extra: {
    store?: ExecutionStore;
    providers?: Provider[];
    imports?: ModuleMetadata['imports'];
  } = {},
): Promise<TestEngine> {
  const builder = Test.createTestingModule({
    imports: [
      ScheduleModule.forRoot(),
      ...(extra.imports ?? []),
      OrchestrationModule.forRoot({ instanceId: 'test', shutdownGraceMs: 0, ...options }),
    ],
    providers: [ProbeHandler, ...(extra.providers ?? [])],
  });
  if (extra.store) builder.overrideProvider(EXECUTION_STORE).useValue(extra.store);
  const module = await builder.compile();
  module.enableShutdownHooks();
  await module.init();
  return {
    module,
    engine: module.get(ExecutionEngine),
    tracker: module.get(StateTracker),
    store: module.get(EXECUTION_STORE),
    probe: module.get(ProbeHandler),
    close: () => module.close(),
  };
}
