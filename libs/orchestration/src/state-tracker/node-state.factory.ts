import { NodeStateRecord } from './execution-record.interface';
import { NodeStatus } from './status.enum';

/** The state of a node that has not started: pending, no attempts, empty history. */
export function pendingNodeState(
  executionId: string,
  nodeId: string,
  overrides: Partial<NodeStateRecord> = {},
): NodeStateRecord {
  return {
    executionId,
    nodeId,
    status: NodeStatus.PENDING,
    attempts: 0,
    startedAt: null,
    completedAt: null,
    output: null,
    error: null,
    nextAttemptAt: null,
    deadlineAt: null,
    history: [],
    ...overrides,
  };
}
