import { Model } from 'mongoose';
import { isChangeApplied } from '../change-applied';
import {
  ApplyResult,
  ChangeBatch,
  ExecutionChange,
  NodeChange,
  TransitionRecord,
} from '../execution-store.interface';
import { TrellisExecution } from './execution.schema';
import { nodeStateId } from './mongo-record.mapper';
import { chunks } from './mongo-write.utils';
import { TrellisNodeState } from './node-state.schema';

/**
 * Writes a `ChangeBatch` as conditional updates (filter: `_id` + expected status + version):
 * the node changes in one unordered bulkWrite, then the execution changes in another, so a
 * crash between them never shows an execution ahead of its nodes.
 */
export class MongoChangeWriter {
  /** @param writeBatchSize most updates per write command; default all of them in one. */
  constructor(
    private readonly executions: Model<TrellisExecution>,
    private readonly nodes: Model<TrellisNodeState>,
    private readonly writeBatchSize?: number,
  ) {}

  async apply(batch: ChangeBatch): Promise<ApplyResult> {
    const nodeConflicts = await this.write(this.nodes, batch.nodes, nodeChangeId);
    const executionConflicts = await this.write(this.executions, batch.executions, (c) => c.id);
    return {
      conflicts: [
        ...nodeConflicts.map((c) => ({ executionId: c.executionId, nodeId: c.nodeId })),
        ...executionConflicts.map((c) => ({ executionId: c.id })),
      ],
    };
  }

  /** @returns the changes not applied; found by one query, and only when some did not match. */
  private async write<C extends NodeChange | ExecutionChange>(
    model: Model<any>,
    changes: C[],
    idOf: (change: C) => string,
  ): Promise<C[]> {
    if (changes.length === 0) return [];
    const ops = changes.map((c) => ({
      updateOne: {
        filter: { _id: idOf(c), status: c.expected.status, version: c.expected.version },
        update: updateOf(c),
      },
    }));
    let matched = 0;
    for (const slice of chunks(ops, this.writeBatchSize ?? ops.length)) {
      matched += (await model.bulkWrite(slice, { ordered: false, throwOnValidationError: true }))
        .matchedCount;
    }
    if (matched === changes.length) return [];
    const stored = await model
      .find({ _id: { $in: changes.map(idOf) } }, { status: 1, version: 1, owner: 1, history: 1 })
      .lean<
        {
          _id: string;
          status: string;
          version: number;
          owner?: string | null;
          history: TransitionRecord[];
        }[]
      >();
    const byId = new Map(stored.map((d) => [d._id, d]));
    return changes.filter((c) => {
      const doc = byId.get(idOf(c));
      return !doc || !isChangeApplied(doc, c);
    });
  }
}

function updateOf(change: NodeChange | ExecutionChange): Record<string, unknown> {
  const update: Record<string, unknown> = { $set: { ...change.set, version: change.version } };
  if (change.history.length > 0) update.$push = { history: { $each: change.history } };
  return update;
}

function nodeChangeId(change: NodeChange): string {
  return nodeStateId(change.executionId, change.nodeId);
}
