import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';

/** Each measurement window lasts this long. */
const WINDOW_MS = 1000;
/** Sampling resolution of the delay histogram. */
const RESOLUTION_MS = 10;

/**
 * How late this process's event loop runs: the mean delay over the last whole second, as
 * `@fastify/under-pressure` measures it. One long
 * task barely moves the mean; a loop that is late all the time does. A process whose loop runs
 * this late cannot take more work without every request slowing down and, once the socket
 * backlog fills, connections timing out; so intake refuses new executions first, with a cheap 503.
 */
@Injectable()
export class EventLoopLoad implements OnModuleInit, OnModuleDestroy {
  private histogram?: ELDHistogram;
  private timer?: NodeJS.Timeout;
  private lastWindowMs = 0;

  constructor(@Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions) {}

  onModuleInit(): void {
    if (this.options.maxEventLoopDelayMs <= 0) return;
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.lastWindowMs = this.currentMs();
      this.histogram!.reset();
    }, WINDOW_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram?.disable();
  }

  /** The mean event-loop delay in ms (0 while not measured). */
  delayMs(): number {
    return this.lastWindowMs;
  }

  private currentMs(): number {
    if (!this.histogram || this.histogram.count === 0) return 0;
    // NOTE: in nanoseconds, and each sample includes the sampling interval itself.
    return Math.max(0, this.histogram.mean / 1e6 - RESOLUTION_MS);
  }
}
