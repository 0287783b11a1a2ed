import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy, Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import type IORedis from 'ioredis';
import { NodeJobData, NodeJobResult } from './node-job';
import { NodeJobRunner } from './node-job.runner';
import { ResolvedWorkerOptions } from './orchestration-worker-options.interface';
import { cancelChannel, redisConnection } from './redis-connection';
import { TRELLIS_WORKER_OPTIONS } from './queue.constants';

/**
 * The BullMQ processor of one pool (a `@Processor` class made per pool, found by
 * @nestjs/bullmq's discovery): runs each job through `NodeJobRunner`, and aborts a running job
 * when an engine says so on the cancel channel (`Worker.cancelJob`, whose signal reaches the
 * handler's `ctx.signal`). BullMQ's lock renewal is the attempt's heartbeat; a job whose
 * worker stops renewing it is failed by the stalled check (`maxStalledCount: 0`) and the engine
 * gives the attempt to the node's retry policy.
 */
export function nodeJobWorkerFor(options: ResolvedWorkerOptions): Type<WorkerHost> {
  @Processor(options.pool, {
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    // NOTE: a lost lock is found within one lock period, and the attempt goes to the engine's
    // retry policy at once (BullMQ would otherwise re-run it itself, uncounted).
    stalledInterval: options.lockDurationMs,
    maxStalledCount: 0,
    limiter: options.rateLimit
      ? { max: options.rateLimit.max, duration: options.rateLimit.durationMs }
      : undefined,
  })
  class NodeJobWorker extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
    private readonly logger = new Logger('TrellisWorker');
    private subscriber?: IORedis;

    constructor(
      private readonly jobs: NodeJobRunner,
      @Inject(TRELLIS_WORKER_OPTIONS) private readonly workerOptions: ResolvedWorkerOptions,
    ) {
      super();
    }

    process(job: Job<NodeJobData>, _token?: string, signal?: AbortSignal): Promise<NodeJobResult> {
      return this.jobs.run(job.data, signal);
    }

    async onApplicationBootstrap(): Promise<void> {
      const channel = cancelChannel(this.workerOptions.prefix);
      this.subscriber = redisConnection(this.workerOptions.redisUrl);
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (_channel: string, jobId: string) => {
        this.worker.cancelJob(jobId, 'cancelled by the engine');
      });
      await this.subscriber.subscribe(channel);
      this.logger.log(
        `serving pool ${this.workerOptions.pool} (concurrency ${this.workerOptions.concurrency})`,
      );
    }

    async onModuleDestroy(): Promise<void> {
      await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    }
  }
  return NodeJobWorker;
}
