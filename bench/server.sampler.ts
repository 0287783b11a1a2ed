import { httpJson } from './http.client';
import type { TrellisServerProcess } from './trellis-server.process';

/** One look at the server: its GET /stats figures and its memory. */
export interface ServerSample {
  /** Seconds since sampling started. */
  t: number;
  /** `journal.lagMs`: age of the oldest journal entry not yet stored. Null when /stats failed. */
  lagMs: number | null;
  /** `journal.backlog`: journal entries made and not yet stored. */
  backlog: number | null;
  activeExecutions: number | null;
  queuedNodes: number | null;
  /**
   * Executions that ended in this process: over the last 60 s (/stats `throughput.executionsEnded`)
   * or since it started (/metrics, the execution duration histogram's count).
   */
  executionsEnded: number | null;
  /** How long GET /stats took, in ms (or the status / error when it failed). */
  statsMs: number;
  statsError?: string;
  /** `metrics` when /stats failed and the figures come from GET /metrics instead. */
  source?: 'stats' | 'metrics';
  rssBytes: number | null;
}

/**
 * Reads the server's journal lag, load and RSS every `everyMs` until stopped: from GET /stats,
 * or from GET /metrics (the same gauges of the process) when /stats fails.
 */
export class ServerSampler {
  private readonly samples: ServerSample[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<ServerSample> | null = null;
  private t0 = 0;

  constructor(
    private readonly server: TrellisServerProcess,
    private readonly everyMs = 1000,
  ) {}

  /** Starts sampling now (one sample at once, then every `everyMs`; none when it is 0). */
  start(): void {
    this.t0 = performance.now();
    if (this.everyMs <= 0) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  /**
   * Stops sampling, after one last sample once any pending one is answered.
   * @returns every sample taken, oldest first (the last one is the state at the stop).
   */
  async stop(): Promise<ServerSample[]> {
    clearInterval(this.timer);
    await this.inFlight;
    await this.sample();
    return [...this.samples];
  }

  private sample(): Promise<ServerSample> | null {
    // NOTE: a /stats call still pending is not doubled: a slow answer is itself a finding.
    if (this.inFlight) return null;
    this.inFlight = this.take().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async take(): Promise<ServerSample> {
    const start = performance.now();
    const sample: ServerSample = {
      t: (start - this.t0) / 1000,
      lagMs: null,
      backlog: null,
      activeExecutions: null,
      queuedNodes: null,
      executionsEnded: null,
      statsMs: 0,
      rssBytes: this.server.memory()?.rssBytes ?? null,
    };
    try {
      const stats = await httpJson(`${this.server.url}/stats`, { timeoutMs: 10_000 });
      if (stats.status !== 200) sample.statsError = `HTTP ${stats.status}`;
      else {
        sample.source = 'stats';
        sample.lagMs = stats.body.journal?.lagMs ?? null;
        sample.backlog = stats.body.journal?.backlog ?? null;
        sample.activeExecutions = stats.body.workers?.activeExecutions ?? null;
        sample.queuedNodes = stats.body.workers?.queued ?? null;
        sample.executionsEnded = stats.body.throughput?.executionsEnded ?? null;
      }
    } catch (error) {
      sample.statsError = (error as Error).message;
    }
    // NOTE: /stats needs the store (counts by status); /metrics leaves that gauge out while the
    // store is down, so the process's own figures can still be read there.
    if (sample.statsError) await this.fromMetrics(sample);
    sample.statsMs = performance.now() - start;
    this.samples.push(sample);
    return sample;
  }

  private async fromMetrics(sample: ServerSample): Promise<void> {
    try {
      const response = await fetch(`${this.server.url}/metrics`, {
        signal: AbortSignal.timeout(5000),
      });
      if (response.status !== 200) return;
      const text = await response.text();
      const gauge = (name: string) => {
        const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
        return value === undefined ? null : Number(value);
      };
      const lagS = gauge('trellis_journal_lag_seconds');
      sample.source = 'metrics';
      sample.lagMs = lagS === null ? null : lagS * 1000;
      sample.backlog = gauge('trellis_journal_backlog');
      sample.activeExecutions = gauge('trellis_active_executions');
      sample.queuedNodes = gauge('trellis_queue_depth');
      sample.executionsEnded = [
        ...text.matchAll(/^trellis_execution_duration_seconds_count(?:\{[^}]*\})? (\S+)$/gm),
      ].reduce((n, m) => n + Number(m[1]), 0);
    } catch {
      // NOTE: no figures this second; the sample keeps the /stats error.
    }
  }
}
