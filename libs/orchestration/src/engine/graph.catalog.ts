import { Inject, Injectable } from '@nestjs/common';
import { InvalidStateError, NotFoundError } from '../errors';
import { CompiledGraph } from '../graph/compiled-graph';
import { GraphValidator } from '../graph/graph.validator';
import { newId } from '../ids';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { GraphRecord } from '../state-tracker/execution-record.interface';
import { EXECUTION_STORE, ExecutionStore } from '../state-tracker/execution-store.interface';
import { StoreHealth } from '../state-tracker/store-health';
import { ExecutionStatus } from '../state-tracker/status.enum';
import { CompiledGraphCache } from './compiled-graph.cache';

/**
 * The stored graphs: validation, storage and the cache of compiled graphs that every
 * execution of a graph shares.
 */
@Injectable()
export class GraphCatalog {
  private readonly compiled = new CompiledGraphCache();

  constructor(
    private readonly validator: GraphValidator,
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly health: StoreHealth,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  /** Validates and compiles a definition. @throws GraphValidationError (or CycleDetectedError). */
  validate(definition: unknown): CompiledGraph {
    return this.validator.compile(definition);
  }

  /** Validates and stores a graph. @throws GraphValidationError, StoreUnavailableError */
  async create(definition: unknown): Promise<GraphRecord> {
    const compiled = this.validator.compile(definition);
    const record: GraphRecord = {
      id: newId(),
      name: compiled.definition.name,
      definition: compiled.definition,
      createdAt: new Date(),
    };
    await this.call(() => this.store.saveGraph(record));
    this.compiled.set(record.id, compiled);
    return record;
  }

  /** @throws NotFoundError, StoreUnavailableError */
  async get(id: string): Promise<GraphRecord> {
    const graph = await this.call(() => this.store.findGraph(id));
    if (!graph) throw new NotFoundError('graph', id);
    return graph;
  }

  /** Stored graphs, newest first; `before` is the id of the last graph of the previous page. */
  list(query: { limit: number; before?: string }): Promise<GraphRecord[]> {
    return this.call(() => this.store.listGraphs(query));
  }

  /** Deletes a graph. @throws NotFoundError, InvalidStateError while an execution of it is active. */
  async delete(id: string): Promise<void> {
    await this.get(id);
    if (await this.call(() => this.store.hasActiveExecutions(id))) {
      throw new InvalidStateError(`Graph ${id} has running executions`, ExecutionStatus.RUNNING);
    }
    await this.call(() => this.store.deleteGraph(id));
    this.compiled.delete(id);
  }

  /** The compiled form of a stored graph (cached). @throws NotFoundError */
  async compiledGraph(graphId: string): Promise<CompiledGraph> {
    const cached = this.compiled.get(graphId);
    if (cached) return cached;
    const record = await this.get(graphId);
    const compiled = this.validator.compile(record.definition, { stored: true });
    this.compiled.set(graphId, compiled);
    return compiled;
  }

  private call<T>(work: () => Promise<T>): Promise<T> {
    return this.health.call(work, this.options.storeTimeoutMs);
  }
}
