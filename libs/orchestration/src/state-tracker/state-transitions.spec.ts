import { StateTransitionError } from '../errors';
import {
  assertExecutionTransition,
  assertNodeTransition,
  NODE_TRANSITIONS,
} from './state-transitions';
import { ExecutionStatus, NodeStatus } from './status.enum';

describe('state transitions', () => {
  it('allows the normal node lifecycle', () => {
    expect(() => assertNodeTransition('x', NodeStatus.PENDING, NodeStatus.READY)).not.toThrow();
    expect(() => assertNodeTransition('x', NodeStatus.READY, NodeStatus.RUNNING)).not.toThrow();
    expect(() => assertNodeTransition('x', NodeStatus.RUNNING, NodeStatus.COMPLETED)).not.toThrow();
  });

  it('never leaves completed', () => {
    expect(NODE_TRANSITIONS[NodeStatus.COMPLETED]).toEqual([]);
    for (const to of Object.values(NodeStatus)) {
      expect(() => assertNodeTransition('x', NodeStatus.COMPLETED, to)).toThrow(
        StateTransitionError,
      );
    }
  });

  it('allows failed -> running only while attempts remain', () => {
    expect(() =>
      assertNodeTransition('x', NodeStatus.FAILED, NodeStatus.RUNNING, { made: 2, max: 3 }),
    ).not.toThrow();
    expect(() =>
      assertNodeTransition('x', NodeStatus.FAILED, NodeStatus.RUNNING, { made: 3, max: 3 }),
    ).toThrow(/no attempts left/);
  });

  it('names both states in the error', () => {
    try {
      assertNodeTransition('e1/a', NodeStatus.PENDING, NodeStatus.COMPLETED);
      throw new Error('not thrown');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'STATE_TRANSITION_INVALID',
        from: 'pending',
        to: 'completed',
        entity: 'node',
      });
    }
  });

  it('guards execution transitions', () => {
    expect(() =>
      assertExecutionTransition('e', ExecutionStatus.PENDING, ExecutionStatus.RUNNING),
    ).not.toThrow();
    expect(() =>
      assertExecutionTransition('e', ExecutionStatus.COMPLETED, ExecutionStatus.RUNNING),
    ).toThrow(StateTransitionError);
    expect(() =>
      assertExecutionTransition('e', ExecutionStatus.PENDING, ExecutionStatus.COMPLETED),
    ).toThrow(StateTransitionError);
  });
});
