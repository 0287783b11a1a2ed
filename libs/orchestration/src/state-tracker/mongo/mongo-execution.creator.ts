import { Model } from 'mongoose';
import { ExecutionRecord, NodeStateRecord } from '../execution-store.interface';
import { TrellisExecution } from './execution.schema';
import { TrellisIdempotencyKey } from './idempotency-key.schema';
import { toExecutionDoc, toExecutionRecord, toNodeStateDoc } from './mongo-record.mapper';
import { chunks, isDuplicateKeyError } from './mongo-write.utils';
import { TrellisNodeState } from './node-state.schema';

/** Node documents per insertMany. */
const INSERT_CHUNK = 10_000;

type KeyClaim = { existing: ExecutionRecord } | { record: ExecutionRecord };

/**
 * Creates an execution with its node states, idempotently per (graph, key), using only
 * single-document atomicity: no transaction, no partial unique index (FerretDB has neither).
 * Node states are written before the execution document, which is the commit point: nobody
 * sees an execution without its nodes. With a key, `${graphId}:${key}` is inserted first into
 * `trellis_idempotency_keys`; whoever inserts it decides the execution id for everyone.
 */
export class MongoExecutionCreator {
  constructor(
    private readonly executions: Model<TrellisExecution>,
    private readonly nodes: Model<TrellisNodeState>,
    private readonly keys: Model<TrellisIdempotencyKey>,
  ) {}

  /** @throws Error on duplicate node ids (nothing written) or an execution id already taken. */
  async create(
    execution: ExecutionRecord,
    nodes: NodeStateRecord[],
  ): Promise<{ execution: ExecutionRecord; created: boolean }> {
    assertUniqueNodeIds(execution.id, nodes);
    if (execution.idempotencyKey === null) return this.insert(execution, nodes, false);
    const claim = await this.claimKey(execution);
    if ('existing' in claim) return { execution: claim.existing, created: false };
    return this.insert(claim.record, nodes, true);
  }

  private async claimKey(execution: ExecutionRecord): Promise<KeyClaim> {
    const _id = `${execution.graphId}:${execution.idempotencyKey}`;
    for (;;) {
      try {
        await this.keys.create({ _id, executionId: execution.id });
        return { record: execution };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const key = await this.keys.findById(_id).lean<TrellisIdempotencyKey>();
      // NOTE: the key vanished in between (retention removed its execution): claim it afresh.
      if (!key) continue;
      const existing = await this.executions.findById(key.executionId).lean<TrellisExecution>();
      if (existing) return { existing: toExecutionRecord(existing) };
      // NOTE: the key is claimed but its execution not written (its creator crashed, or is still
      // writing): write it under the key's id. The execution insert decides who created it.
      return { record: { ...execution, id: key.executionId } };
    }
  }

  /** `keyed`: another caller may be writing the same execution id, so duplicates are expected. */
  private async insert(
    execution: ExecutionRecord,
    nodes: NodeStateRecord[],
    keyed: boolean,
  ): Promise<{ execution: ExecutionRecord; created: boolean }> {
    for (const chunk of chunks(nodes, INSERT_CHUNK)) {
      try {
        const docs = chunk.map((n) => toNodeStateDoc(execution.id, n));
        await this.nodes.insertMany(docs, { ordered: false, lean: true });
      } catch (error) {
        if (!keyed || !isDuplicateKeyError(error)) throw error;
      }
    }
    try {
      await this.executions.insertMany([toExecutionDoc(execution)], { lean: true });
    } catch (error) {
      if (!keyed || !isDuplicateKeyError(error)) throw error;
      const existing = await this.executions.findById(execution.id).lean<TrellisExecution>();
      if (!existing) throw error;
      return { execution: toExecutionRecord(existing), created: false };
    }
    return { execution: { ...execution, history: [...execution.history] }, created: true };
  }
}

function assertUniqueNodeIds(executionId: string, nodes: NodeStateRecord[]): void {
  const seen = new Set<string>();
  for (const node of nodes) {
    if (seen.has(node.nodeId))
      throw new Error(`duplicate node state ${executionId}/${node.nodeId}`);
    seen.add(node.nodeId);
  }
}
