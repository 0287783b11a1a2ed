import { LoggerService } from '@nestjs/common';
import { NodeDefinition } from '../graph/graph-definition.interface';

/** Everything a handler gets for one attempt of one node. */
export interface NodeContext<TConfig = Record<string, unknown>> {
  /** The execution this attempt belongs to. */
  executionId: string;
  /** The graph being executed. */
  graphId: string;
  /** The node's definition as validated. */
  node: NodeDefinition;
  /** The node's config (for SEQUENTIAL/PARALLEL strategies: the current step's config). */
  config: TConfig;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * Grows with every attempt of the execution and with every change of owner: an external system
   * that remembers the highest token it saw from this execution can refuse a stale caller (an
   * attempt whose engine lost the execution to another). Sent by HTTP actions as the
   * `Trellis-Fencing-Token` header and to commands as `TRELLIS_FENCING_TOKEN`.
   */
  fencingToken: number;
  /** Aborted on timeout, cancellation or a critical halt: stop work and reject promptly. */
  signal: AbortSignal;
  /** The execution's input: test suite / case / item references and any other data. */
  input: Record<string, unknown>;
  /** Outputs of the node's dependencies, by node id (`null` for one that did not complete). */
  upstream: Record<string, unknown>;
  /** Ids of the dependencies that completed; the others were skipped, failed or cancelled. */
  completedDependencies: string[];
  /** Logger scoped to this node. */
  logger: LoggerService;
  /**
   * Resolves with the payload of the next external signal sent to this node
   * (`ExecutionEngine.signal()`); rejects when the signal is aborted.
   */
  waitForSignal(): Promise<unknown>;
}

/** What a handler may return: the output to persist, and for branching nodes the dependents to run. */
export interface NodeHandlerResult {
  /** JSON-serialisable output, persisted and passed to dependents. */
  output?: unknown;
  /** When set, only these direct dependents run; the others are skipped. */
  next?: string[];
}
