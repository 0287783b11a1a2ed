import {
  ExecutionRecord,
  NodeChange,
  NodeStateRecord,
  ExecutionChange,
} from './execution-store.interface';

/** The live state of one node of an active execution (history lives in the store only). */
export type NodeView = Omit<NodeStateRecord, 'history'> & {
  /** Changes not yet handed to the store, coalesced; null when none. */
  change: NodeChange | null;
  /** When it last became ready (ms since epoch), for the scheduling latency in events. */
  readyAt?: number;
  /** The node's type, for live events (set by the engine's run). */
  type?: string;
};

/**
 * The in-memory view of an active execution: the authority while it runs in this process,
 * written behind to the store in batches. `nodes[i]` matches node `i` of the compiled graph.
 */
export class ExecutionView {
  /** Changes of the execution record not yet handed to the store. */
  change: ExecutionChange | null = null;
  /** Sequence number of the last event published for this execution. */
  seq = 0;

  constructor(
    readonly record: Omit<ExecutionRecord, 'history'>,
    readonly nodes: NodeView[],
  ) {}

  /** The id of the execution. */
  get id(): string {
    return this.record.id;
  }
}
