import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Subscription } from 'rxjs';
import { ExecutionEngine } from '../../engine/execution-engine.service';
import { TRELLIS_NODE_QUEUE } from '../../node-runner/node-runner.constants';
import { NodeQueuePort, PoolStats } from '../../node-runner/strategies/node-queue.port';
import { StateChangeEvent } from '../../state-tracker/state-change.event';
import { StoreHealth } from '../../state-tracker/store-health';
import { ExecutionCounts } from './execution-counts';
import { StateTracker } from '../../state-tracker/state-tracker.service';
import { ExecutionStatus, NodeStatus } from '../../state-tracker/status.enum';

/**
 * Prometheus metrics of the engine in a registry of its own (a host's default registry is left
 * alone): executions by status (read from the store at scrape time), nodes of running executions
 * by status, node transitions, node
 * and execution durations, queue depth, busy workers and scheduling latency (ready to running),
 * plus the Node.js process defaults.
 */
@Injectable()
export class TrellisMetrics implements OnModuleInit, OnModuleDestroy {
  /** The registry `GET /metrics` exposes. */
  readonly registry = new Registry();
  private readonly logger = new Logger('TrellisMetrics');
  private readonly transitions: Counter<'to'>;
  private readonly nodeDuration: Histogram<'type' | 'status'>;
  private readonly executionDuration: Histogram<'status'>;
  private readonly schedulingLatency: Histogram;
  private subscription?: Subscription;
  private readonly pendingTransitions = new Map<string, number>();
  private readonly pendingDurations = new Map<string, number[]>();
  private pendingLatency: number[] = [];
  private pending = 0;

  constructor(
    private readonly tracker: StateTracker,
    private readonly engine: ExecutionEngine,
    counts: ExecutionCounts,
    storeHealth: StoreHealth,
    @Optional() @Inject(TRELLIS_NODE_QUEUE) queue?: NodeQueuePort | null,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const logger = this.logger;
    const drain = () => this.drain();
    new Gauge({
      name: 'trellis_executions',
      help: 'Executions in the store by status',
      labelNames: ['status'],
      registers,
      async collect() {
        // NOTE: with the store down a scrape answers at once, without this gauge.
        if (!storeHealth.up) return;
        try {
          const byStatus = await counts.byStatus();
          for (const status of Object.values(ExecutionStatus))
            this.set({ status }, byStatus[status] ?? 0);
        } catch (error) {
          logger.warn(`Cannot count executions: ${(error as Error).message}`);
        }
      },
    });
    new Gauge({
      name: 'trellis_nodes',
      help: 'Nodes of the executions running in this process, by status',
      labelNames: ['status'],
      registers,
      collect() {
        const counts = new Map<string, number>(Object.values(NodeStatus).map((s) => [s, 0]));
        for (const id of tracker.activeIds()) {
          for (const node of tracker.view(id)?.nodes ?? []) {
            counts.set(node.status, counts.get(node.status)! + 1);
          }
        }
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'trellis_queue_depth',
      help: 'Ready nodes waiting for a worker slot in this process',
      registers,
      collect() {
        this.set(engine.load().queuedNodes);
      },
    });
    new Gauge({
      name: 'trellis_workers_busy',
      help: 'Worker slots in use in this process',
      registers,
      collect() {
        this.set(engine.load().runningNodes);
      },
    });
    new Gauge({
      name: 'trellis_journal_backlog',
      help: 'Journal entries made in this process and not yet stored',
      registers,
      collect() {
        this.set(engine.load().journalBacklog);
      },
    });
    new Gauge({
      name: 'trellis_journal_lag_seconds',
      help: 'Age of the oldest journal entry of this process not yet stored',
      registers,
      collect() {
        this.set(engine.load().journalLagMs / 1000);
      },
    });
    new Gauge({
      name: 'trellis_active_executions',
      help: 'Executions running in this process',
      registers,
      collect() {
        this.set(engine.load().activeExecutions);
      },
    });
    if (queue) this.queueMetrics(queue, registers);
    this.transitions = new Counter({
      name: 'trellis_node_transitions_total',
      help: 'Node state transitions in this process, by target status',
      labelNames: ['to'],
      registers,
      collect: drain,
    });
    this.nodeDuration = new Histogram({
      name: 'trellis_node_duration_seconds',
      help: 'Duration of node attempts, by node type and outcome',
      labelNames: ['type', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
      collect: drain,
    });
    this.executionDuration = new Histogram({
      name: 'trellis_execution_duration_seconds',
      help: 'Duration of executions, by final status',
      labelNames: ['status'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.schedulingLatency = new Histogram({
      name: 'trellis_scheduling_latency_seconds',
      help: 'Time from a node becoming ready to its start',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
      collect: drain,
    });
  }

  onModuleInit(): void {
    this.subscription = this.tracker.events$.subscribe((event) => this.record(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The exposition text. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Hands the observations gathered since the last scrape to prom-client. */
  private drain(): void {
    for (const [to, count] of this.pendingTransitions) this.transitions.inc({ to }, count);
    this.pendingTransitions.clear();
    for (const [key, values] of this.pendingDurations) {
      const [type, status] = key.split('\u0000');
      const child = this.nodeDuration.labels(type, status);
      for (const ms of values) child.observe(ms / 1000);
    }
    this.pendingDurations.clear();
    for (const ms of this.pendingLatency) this.schedulingLatency.observe(ms / 1000);
    this.pendingLatency = [];
    this.pending = 0;
  }

  // NOTE: events are tallied as plain numbers and handed to prom-client at scrape time (or every
  // 100,000): prom-client hashes the labels on every call, which halved the chain benchmark.
  private record(event: StateChangeEvent): void {
    if (event.kind === 'execution') {
      if (event.durationMs !== undefined)
        this.executionDuration.observe({ status: event.to }, event.durationMs / 1000);
      return;
    }
    this.pendingTransitions.set(event.to, (this.pendingTransitions.get(event.to) ?? 0) + 1);
    if (event.durationMs !== undefined) {
      const key = `${event.nodeType ?? 'unknown'}\u0000${event.to}`;
      let values = this.pendingDurations.get(key);
      if (!values) this.pendingDurations.set(key, (values = []));
      values.push(event.durationMs);
      this.pending++;
    }
    if (event.waitMs !== undefined) {
      this.pendingLatency.push(event.waitMs);
      this.pending++;
    }
    if (this.pending >= 100_000) this.drain();
  }

  /** QUEUED nodes: jobs and workers per pool (read from Redis at scrape), this engine's totals. */
  private queueMetrics(queue: NodeQueuePort, registers: Registry[]): void {
    const logger = this.logger;
    // NOTE: both pool gauges of one scrape share one read of Redis.
    let reading: { at: number; pools: Promise<PoolStats[]> } | undefined;
    const read = (): Promise<PoolStats[]> => {
      if (!reading || Date.now() - reading.at > 250) {
        reading = {
          at: Date.now(),
          pools: queue.stats().catch((error: Error) => {
            logger.warn(`Cannot read the queues: ${error.message}`);
            return [];
          }),
        };
      }
      return reading.pools;
    };
    new Gauge({
      name: 'trellis_pool_jobs',
      help: 'Jobs of QUEUED nodes in each pool, by state (waiting, active, delayed)',
      labelNames: ['pool', 'state'],
      registers,
      async collect() {
        for (const p of await read()) {
          this.set({ pool: p.pool, state: 'waiting' }, p.waiting);
          this.set({ pool: p.pool, state: 'active' }, p.active);
          this.set({ pool: p.pool, state: 'delayed' }, p.delayed);
        }
      },
    });
    new Gauge({
      name: 'trellis_pool_workers',
      help: 'Workers connected to each pool',
      labelNames: ['pool'],
      registers,
      async collect() {
        for (const p of await read()) this.set({ pool: p.pool }, p.workers);
      },
    });
    new Gauge({
      name: 'trellis_queued_attempts',
      help: 'QUEUED attempts of this engine since start: submitted, completed, failed (lost by a worker), stale_results (refused), re_added (Redis lost them)',
      labelNames: ['outcome'],
      registers,
      collect() {
        const c = queue.counts();
        this.set({ outcome: 'submitted' }, c.submitted);
        this.set({ outcome: 'completed' }, c.completed);
        this.set({ outcome: 'failed' }, c.failed);
        this.set({ outcome: 'stale_results' }, c.staleResults);
        this.set({ outcome: 're_added' }, c.reAdded);
      },
    });
  }
}
