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

  it('never leaves completed on its own', () => {
    expect(NODE_TRANSITIONS[NodeStatus.COMPLETED]).toEqual([]);
    for (const to of Object.values(NodeStatus)) {
      expect(() => assertNodeTransition('x', NodeStatus.COMPLETED, to)).toThrow(
        StateTransitionError,
      );
    }
  });

  it('allows failed -> running only while attempts remain', () => {
    expect(() =>
      assertNodeTransition('x', NodeStatus.FAILED, NodeStatus.RUNNING, 2, { maxAttempts: 3 }),
    ).not.toThrow();
    expect(() =>
      assertNodeTransition('x', NodeStatus.FAILED, NodeStatus.RUNNING, 3, { maxAttempts: 3 }),
    ).toThrow(/no attempts left/);
  });

  it('lets only an operator re-run a completed node, complete a failed one or skip a failed one', () => {
    const operatorOnly: [NodeStatus, NodeStatus][] = [
      [NodeStatus.COMPLETED, NodeStatus.PENDING],
      [NodeStatus.FAILED, NodeStatus.COMPLETED],
      [NodeStatus.FAILED, NodeStatus.SKIPPED],
    ];
    for (const [from, to] of operatorOnly) {
      expect(() => assertNodeTransition('x', from, to)).toThrow(StateTransitionError);
      expect(() => assertNodeTransition('x', from, to, 0, { operator: true })).not.toThrow();
    }
  });

  it('keeps the rest of the table closed to an operator too', () => {
    const closed: [NodeStatus, NodeStatus][] = [
      [NodeStatus.COMPLETED, NodeStatus.SKIPPED],
      [NodeStatus.COMPLETED, NodeStatus.RUNNING],
      [NodeStatus.RUNNING, NodeStatus.PENDING],
      [NodeStatus.PENDING, NodeStatus.COMPLETED],
      [NodeStatus.SKIPPED, NodeStatus.COMPLETED],
    ];
    for (const [from, to] of closed) {
      expect(() => assertNodeTransition('x', from, to, 0, { operator: true })).toThrow(
        StateTransitionError,
      );
    }
  });

  it('lets only an operator reopen a completed execution', () => {
    expect(() =>
      assertExecutionTransition('e', ExecutionStatus.COMPLETED, ExecutionStatus.RUNNING, true),
    ).not.toThrow();
    expect(() =>
      assertExecutionTransition('e', ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, true),
    ).toThrow(StateTransitionError);
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
