import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../errors';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  ExecutionQuery,
  ExecutionRecord,
  NodeStateRecord,
} from '../state-tracker/execution-record.interface';
import {
  EXECUTION_STORE,
  ExecutionStore,
  ListedExecution,
} from '../state-tracker/execution-store.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { ExecutionFold } from '../state-tracker/journal/execution-fold';
import { pendingNodeState } from '../state-tracker/node-state.factory';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { StoreHealth } from '../state-tracker/store-health';
import { GraphCatalog } from './graph.catalog';

/** An execution and the state of each of its nodes (without history). */
export interface ExecutionState {
  execution: Omit<ExecutionRecord, 'history'>;
  nodes: NodeStateRecord[];
}

/** Journal reads may take longer than single-document calls (they fold whole journals). */
const READ_TIMEOUT_FACTOR = 10;

/**
 * Reads of executions. One running here answers from memory once its journal caught up; any
 * other is folded from its journal, read by primary key from the latest checkpoint.
 */
@Injectable()
export class ExecutionReader {
  constructor(
    private readonly tracker: StateTracker,
    private readonly catalog: GraphCatalog,
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly health: StoreHealth,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  /** @throws NotFoundError, StoreUnavailableError */
  async getExecution(id: string): Promise<Omit<ExecutionRecord, 'history'>> {
    return (await this.getState(id)).execution;
  }

  /** An execution with its nodes, as stored. @throws NotFoundError, StoreUnavailableError */
  async getState(id: string): Promise<ExecutionState> {
    const view = this.tracker.view(id);
    if (view) {
      await this.caughtUp(view);
      return {
        execution: { ...view.record },
        nodes: view.nodes.map(({ readyAt: _r, type: _t, ...node }) => ({ ...node, history: [] })),
      };
    }
    const fold = await this.fold(id, false);
    const nodeIds = await this.nodeIds(fold);
    const { history: _history, ...execution } = fold.record!;
    return { execution, nodes: fold.nodeStates(nodeIds) };
  }

  /** One node with its whole history. @throws NotFoundError, StoreUnavailableError */
  async getNodeState(id: string, nodeId: string): Promise<NodeStateRecord> {
    const view = this.tracker.view(id);
    if (view) await this.caughtUp(view);
    const fold = await this.fold(id, true);
    const node = fold.nodes.get(nodeId);
    if (node) return node;
    if ((await this.nodeIds(fold)).includes(nodeId)) return pendingNodeState(id, nodeId);
    throw new NotFoundError('node', nodeId);
  }

  /** Executions, newest first, filtered by graph and status. @throws StoreUnavailableError */
  listExecutions(query: ExecutionQuery): Promise<ListedExecution[]> {
    return this.health.call(() => this.store.listExecutions(query), this.readTimeoutMs);
  }

  /** The stored state of an execution. @throws NotFoundError, StoreUnavailableError */
  async fold(id: string, withHistory: boolean): Promise<ExecutionFold> {
    const read = await this.health.call(
      () => this.store.readJournal(id, { fromCheckpoint: !withHistory }),
      this.readTimeoutMs,
    );
    const fold = ExecutionFold.of(id, read.checkpoint, read.pages, withHistory);
    if (!fold.record) throw new NotFoundError('execution', id);
    return fold;
  }

  /**
   * Waits until what this process did to an execution is stored, so a read of it says what the
   * store says. @throws StoreUnavailableError while the store is down or does not catch up in time.
   */
  private async caughtUp(view: ExecutionView): Promise<void> {
    this.health.assertUp();
    if (!(await withTimeout(this.tracker.whenStored(view), this.options.storeTimeoutMs))) {
      throw this.health.unavailable();
    }
  }

  private get readTimeoutMs(): number {
    return this.options.storeTimeoutMs * READ_TIMEOUT_FACTOR;
  }

  /** The graph's node ids in order; those the journal knows when the graph is gone. */
  private async nodeIds(fold: ExecutionFold): Promise<string[]> {
    try {
      return (await this.catalog.compiledGraph(fold.record!.graphId)).nodes.map((n) => n.id);
    } catch (error) {
      if (error instanceof NotFoundError) return [...fold.nodes.keys()];
      throw error;
    }
  }
}

/** Whether `promise` settled within `ms`. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
