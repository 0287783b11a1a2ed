import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { NodeRunnerModule } from '../node-runner/node-runner.module';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { resolveOrchestrationOptions } from '../orchestration-options.defaults';
import { NodeJobRunner } from './node-job.runner';
import { nodeJobWorkerFor } from './node-job.worker';
import { resolveWorkerOptions } from './orchestration-worker-options.defaults';
import { OrchestrationWorkerOptions } from './orchestration-worker-options.interface';
import { EVENTS_MAX_LEN } from './queue-options.defaults';
import { TRELLIS_WORKER_OPTIONS } from './queue.constants';

/**
 * A worker of QUEUED nodes: import it (with the modules that provide your `@NodeHandler`
 * classes) into a Nest application context, and it runs the attempts engines send to its pool,
 * with the same handlers the engine would run DIRECT. `trellis worker` and `npm run worker` are
 * this module in a process of its own.
 *
 * @example OrchestrationWorkerModule.forRoot({ redisUrl: 'redis://redis:6379', pool: 'gpu', concurrency: 4 })
 */
@Module({})
export class OrchestrationWorkerModule {
  static forRoot(options: OrchestrationWorkerOptions): DynamicModule {
    const resolved = resolveWorkerOptions(options);
    const orchestration = resolveOrchestrationOptions({
      allowCommands: options.allowCommands,
      commandAllowlist: options.commandAllowlist,
      maxOutputBytes: options.maxOutputBytes,
      maxErrorBytes: options.maxErrorBytes,
      abortGraceMs: options.abortGraceMs,
    });
    const settings: DynamicModule = {
      module: WorkerSettingsModule,
      providers: [
        { provide: TRELLIS_OPTIONS, useValue: orchestration },
        { provide: TRELLIS_WORKER_OPTIONS, useValue: resolved },
      ],
      exports: [TRELLIS_OPTIONS, TRELLIS_WORKER_OPTIONS],
    };
    return {
      module: OrchestrationWorkerModule,
      imports: [
        settings,
        BullModule.forRoot({
          connection: { url: resolved.redisUrl, maxRetriesPerRequest: null },
          prefix: resolved.prefix,
        }),
        // NOTE: a Queue writes the length of the pool's event stream into the queue's meta,
        // which every writer then trims to: BullMQ's default (10,000) would drop results that
        // engines have not read yet.
        BullModule.registerQueue({
          name: resolved.pool,
          streams: { events: { maxLen: EVENTS_MAX_LEN } },
        }),
        NodeRunnerModule,
      ],
      providers: [NodeJobRunner, nodeJobWorkerFor(resolved)],
      exports: [NodeRunnerModule],
    };
  }
}

/** The worker's options, visible to the node runner and the handlers (namespaced tokens). */
@Global()
@Module({})
class WorkerSettingsModule {}
