import { ExecutionCounts } from './execution-counts';
import { Logger } from '@nestjs/common';
import { register } from 'prom-client';
import { createTestEngine, TestEngine } from '../../engine/testing/create-test-engine';
import { probe } from '../../engine/testing/probe.handler';
import { waitFor } from '../../node-runner/handlers/testing/wait-for.fixture';
import { ExecutionStatus } from '../../state-tracker/status.enum';
import { TrellisMetrics } from './trellis-metrics.service';

/**
 * The value of one sample of Prometheus text, found by name and exact label set (in any order).
 * @returns undefined when there is no such sample.
 */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter((pair) => pair.length > 0)
      .sort()
      .join(',');
    if (got === wanted) return Number(match[3]);
  }
  return undefined;
}

describe('TrellisMetrics on a real engine', () => {
  let t: TestEngine;
  let metrics: TrellisMetrics;

  async function start(maxWorkers = 8): Promise<void> {
    t = await createTestEngine(
      { maxWorkers, abortGraceMs: 20 },
      { providers: [ExecutionCounts, TrellisMetrics] },
    );
    metrics = t.module.get(TrellisMetrics);
  }
  afterEach(() => t.close());

  it('exposes the documented families, zeroed, before anything ran', async () => {
    await start();
    const text = await metrics.metrics();
    for (const status of Object.values(ExecutionStatus)) {
      expect(sample(text, 'trellis_executions', { status })).toBe(0);
    }
    expect(sample(text, 'trellis_queue_depth')).toBe(0);
    expect(sample(text, 'trellis_workers_busy')).toBe(0);
    expect(text).toContain('# TYPE trellis_node_transitions_total counter');
    expect(text).toContain('# TYPE trellis_node_duration_seconds histogram');
    expect(text).toContain('# TYPE trellis_execution_duration_seconds histogram');
    expect(text).toContain('# TYPE trellis_scheduling_latency_seconds histogram');
    expect(sample(text, 'trellis_scheduling_latency_seconds_count')).toBe(0);
  });

  it('includes the Node.js process defaults', async () => {
    await start();
    const text = await metrics.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('counts transitions, executions by status and durations of a completed run', async () => {
    await start();
    const { done } = await t.engine.run({
      name: 'two',
      nodes: [probe('slow', [], { config: { ms: 120 } }), probe('fast', ['slow'])],
    });
    expect((await done).status).toBe(ExecutionStatus.COMPLETED);
    await t.tracker.flush();
    const text = await metrics.metrics();

    expect(text).toContain('trellis_node_transitions_total{to="completed"} 2');
    expect(sample(text, 'trellis_node_transitions_total', { to: 'ready' })).toBe(2);
    expect(sample(text, 'trellis_node_transitions_total', { to: 'running' })).toBe(2);
    expect(text).toContain('trellis_executions{status="completed"} 1');
    expect(sample(text, 'trellis_executions', { status: 'running' })).toBe(0);

    const node = (le: string) =>
      sample(text, 'trellis_node_duration_seconds_bucket', {
        le,
        type: 'PROBE',
        status: 'completed',
      });
    expect(node('0.1')).toBe(1);
    expect(node('0.5')).toBe(2);
    expect(node('+Inf')).toBe(2);
    expect(
      sample(text, 'trellis_node_duration_seconds_count', { type: 'PROBE', status: 'completed' }),
    ).toBe(2);
    expect(
      sample(text, 'trellis_node_duration_seconds_sum', { type: 'PROBE', status: 'completed' }),
    ).toBeGreaterThanOrEqual(0.119);

    expect(
      sample(text, 'trellis_execution_duration_seconds_bucket', { le: '0.1', status: 'completed' }),
    ).toBe(0);
    expect(sample(text, 'trellis_execution_duration_seconds_count', { status: 'completed' })).toBe(
      1,
    );
    expect(sample(text, 'trellis_scheduling_latency_seconds_count')).toBe(2);
  });

  it('labels failed attempts and skipped nodes by their outcome', async () => {
    await start();
    const { done } = await t.engine.run({
      name: 'bad',
      nodes: [
        probe('fails', [], { config: { failTimes: 1, retryable: false } }),
        probe('after', ['fails']),
      ],
    });
    expect((await done).status).toBe(ExecutionStatus.FAILED);
    await t.tracker.flush();
    const text = await metrics.metrics();

    expect(sample(text, 'trellis_node_transitions_total', { to: 'failed' })).toBe(1);
    expect(sample(text, 'trellis_node_transitions_total', { to: 'skipped' })).toBe(1);
    expect(sample(text, 'trellis_node_transitions_total', { to: 'completed' })).toBeUndefined();
    expect(
      sample(text, 'trellis_node_duration_seconds_count', { type: 'PROBE', status: 'failed' }),
    ).toBe(1);
    expect(sample(text, 'trellis_executions', { status: 'failed' })).toBe(1);
    expect(sample(text, 'trellis_execution_duration_seconds_count', { status: 'failed' })).toBe(1);
  });

  it('shows the queue depth, busy workers and running nodes while a run waits for workers', async () => {
    await start(1);
    const { executionId, done } = await t.engine.run({
      name: 'hang',
      nodes: [
        probe('h1', [], { config: { hang: true } }),
        probe('h2', [], { config: { hang: true } }),
      ],
    });
    await waitFor(() => (t.probe.running === 1 ? true : undefined));
    await t.tracker.flush();
    const busy = await metrics.metrics();
    expect(sample(busy, 'trellis_queue_depth')).toBe(1);
    expect(sample(busy, 'trellis_workers_busy')).toBe(1);
    expect(sample(busy, 'trellis_active_executions')).toBe(1);
    expect(sample(busy, 'trellis_executions', { status: 'running' })).toBe(1);
    expect(sample(busy, 'trellis_nodes', { status: 'running' })).toBe(1);

    await t.engine.cancel(executionId);
    await done;
    await t.tracker.flush();
    // NOTE: counts by status are reused for 2 s; this reads them anew.
    t.module.get(ExecutionCounts).invalidate();
    const idle = await metrics.metrics();
    expect(sample(idle, 'trellis_queue_depth')).toBe(0);
    expect(sample(idle, 'trellis_workers_busy')).toBe(0);
    expect(sample(idle, 'trellis_executions', { status: 'cancelled' })).toBe(1);
    expect(sample(idle, 'trellis_executions', { status: 'running' })).toBe(0);
  });

  it('still answers a scrape when the store cannot count executions', async () => {
    await start();
    jest.spyOn(t.store, 'countExecutionsByStatus').mockRejectedValue(new Error('store down'));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const text = await metrics.metrics();
      expect(sample(text, 'trellis_queue_depth')).toBe(0);
      expect(text).toContain('# TYPE trellis_executions gauge');
    } finally {
      jest.restoreAllMocks();
    }
  });

  it("keeps its metrics out of prom-client's default registry, so two instances coexist", async () => {
    await start();
    const other = await createTestEngine({}, { providers: [ExecutionCounts, TrellisMetrics] });
    try {
      expect(other.module.get(TrellisMetrics).registry).not.toBe(metrics.registry);
      expect(register.getSingleMetric('trellis_executions')).toBeUndefined();
      expect(sample(await other.module.get(TrellisMetrics).metrics(), 'trellis_queue_depth')).toBe(
        0,
      );
    } finally {
      await other.close();
    }
  });
});
