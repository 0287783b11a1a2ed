import { ExecutionRecord, NodeStateRecord } from '../../state-tracker/execution-record.interface';
import { ExecutionStore } from '../../state-tracker/execution-store.interface';
import { ExecutionFold } from '../../state-tracker/journal/execution-fold';

/** The stored state of an execution, folded from its whole journal with history. */
export async function storedFold(
  store: ExecutionStore,
  executionId: string,
): Promise<ExecutionFold> {
  const { pages } = await store.readJournal(executionId, {});
  return ExecutionFold.of(executionId, null, pages, true);
}

/** The stored execution record, with its history. @throws Error when there is none. */
export async function storedExecution(
  store: ExecutionStore,
  executionId: string,
): Promise<ExecutionRecord> {
  const record = (await storedFold(store, executionId)).record;
  if (!record) throw new Error(`no journal for ${executionId}`);
  return record;
}

/** The stored state of one node with its history; undefined while the journal never mentions it (pending). */
export async function storedNode(
  store: ExecutionStore,
  executionId: string,
  nodeId: string,
): Promise<NodeStateRecord | undefined> {
  return (await storedFold(store, executionId)).nodes.get(nodeId);
}

/** The stored states of the nodes the journal mentions, by node id. */
export async function storedNodes(
  store: ExecutionStore,
  executionId: string,
): Promise<Record<string, NodeStateRecord>> {
  return Object.fromEntries((await storedFold(store, executionId)).nodes);
}

/** The sequence numbers of the transitions (node and execution) an execution's journal holds, in order. */
export async function storedTransitionSeqs(
  store: ExecutionStore,
  executionId: string,
): Promise<number[]> {
  const { pages } = await store.readJournal(executionId, {});
  const seqs: number[] = [];
  for (const page of pages)
    for (const entry of page.entries)
      if (entry.kind === 'node' || entry.kind === 'execution') seqs.push(entry.seq);
  return seqs;
}
