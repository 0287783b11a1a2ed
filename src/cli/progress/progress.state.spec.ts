import { ProgressState } from './progress.state';

const node = (nodeId: string, from: string, to: string) => ({
  kind: 'node' as const,
  nodeId,
  from,
  to,
});

describe('ProgressState', () => {
  it('counts terminal nodes as done and lists running ones in start order', () => {
    const state = new ProgressState(3);
    state.apply(node('a', 'ready', 'running'));
    state.apply(node('b', 'ready', 'running'));
    state.apply(node('a', 'running', 'completed'));
    state.apply(node('c', 'pending', 'skipped'));
    expect({ done: state.done, running: state.running, failed: state.failed }).toEqual({
      done: 2,
      running: ['b'],
      failed: 0,
    });
  });

  it('stops counting a failed node as done when it is retried', () => {
    const state = new ProgressState(1);
    state.apply(node('a', 'ready', 'running'));
    state.apply(node('a', 'running', 'failed'));
    expect([state.done, state.failed]).toEqual([1, 1]);
    state.apply(node('a', 'failed', 'running'));
    expect([state.done, state.failed, state.running]).toEqual([0, 0, ['a']]);
    state.apply(node('a', 'running', 'completed'));
    expect([state.done, state.failed]).toEqual([1, 0]);
  });

  it('keeps the execution status apart from the node counts', () => {
    const state = new ProgressState(1);
    state.apply({ kind: 'execution', from: 'pending', to: 'running' });
    expect([state.executionStatus, state.done]).toEqual(['running', 0]);
  });
});
