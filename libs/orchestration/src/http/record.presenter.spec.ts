import { createTestEngine, TestEngine } from '../engine/testing/create-test-engine';
import { probe } from '../engine/testing/probe.handler';
import {
  toExecutionResponse,
  toExecutionSummary,
  toGraphResponse,
  toGraphSummary,
  toNodeDetail,
} from './record.presenter';

describe('record presenters on records of a real run', () => {
  let t: TestEngine;
  beforeEach(async () => (t = await createTestEngine()));
  afterEach(() => t.close());

  it('presents a graph as a summary with its node count, and with its definition', async () => {
    const graph = await t.engine.createGraph({ name: 'g', nodes: [probe('a'), probe('b', ['a'])] });
    const summary = toGraphSummary(graph);
    expect(summary).toEqual({
      id: graph.id,
      name: 'g',
      nodeCount: 2,
      createdAt: graph.createdAt,
    });
    expect(JSON.parse(JSON.stringify(summary)).createdAt).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
    expect(toGraphResponse(graph)).toEqual({ ...summary, definition: graph.definition });
  });

  it('leaves error out of a completed execution, and output out of a node without one', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'ok',
      nodes: [probe('a', [], { config: { output: { n: 1 } } })],
    });
    await done;
    await t.tracker.flush();
    const execution = await t.engine.getExecution(executionId);
    const nodes = await t.engine.getNodeStates(executionId);
    const summary = toExecutionSummary(execution);
    expect(summary).not.toHaveProperty('error');
    expect(Object.keys(summary).sort()).toEqual(
      [
        'completedAt',
        'createdAt',
        'graphId',
        'id',
        'idempotencyKey',
        'input',
        'startedAt',
        'status',
      ].sort(),
    );
    const response = toExecutionResponse(execution, nodes);
    expect(response.nodes).toEqual([
      {
        nodeId: 'a',
        status: 'completed',
        attempts: 1,
        startedAt: expect.any(Date),
        completedAt: expect.any(Date),
        output: { n: 1 },
        fencingToken: expect.any(Number),
      },
    ]);
    expect(response).not.toHaveProperty('history');
  });

  it('carries the error of a failed execution and node, and keeps a falsy output', async () => {
    const { executionId, done } = await t.engine.run({
      name: 'bad',
      nodes: [
        probe('zero', [], { config: { output: 0 } }),
        probe('fails', ['zero'], { config: { failTimes: 1, retryable: false } }),
      ],
    });
    await done;
    await t.tracker.flush();
    const execution = await t.engine.getExecution(executionId);
    expect(toExecutionSummary(execution).error).toMatchObject({ message: expect.any(String) });
    const zero = await t.engine.getNodeState(executionId, 'zero');
    const fails = await t.engine.getNodeState(executionId, 'fails');
    expect(toNodeDetail(zero)).toMatchObject({ nodeId: 'zero', output: 0 });
    const detail = toNodeDetail(fails);
    expect(detail).toMatchObject({
      executionId,
      nodeId: 'fails',
      status: 'failed',
      error: { message: 'planned failure 1' },
    });
    expect(detail).not.toHaveProperty('output');
    expect(detail.history.map((h) => `${h.from}>${h.to}`)).toEqual([
      'pending>ready',
      'ready>running',
      'running>failed',
    ]);
    expect(detail.history[2]).toMatchObject({ seq: expect.any(Number), by: 'test', attempt: 1 });
  });
});
