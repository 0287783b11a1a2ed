import { NodeDefinition } from '../graph/graph-definition.interface';

/** What a QUEUED attempt sends to a worker: everything its handler's context needs. */
export interface NodeJobData {
  executionId: string;
  graphId: string;
  /** The node as validated (its `strategy` is QUEUED; the worker runs it DIRECT). */
  node: NodeDefinition;
  attempt: number;
  /** The attempt's fencing token; also part of the job id. */
  fencingToken: number;
  input: Record<string, unknown>;
  /** Outputs of the node's dependencies, by node id. */
  upstream: Record<string, unknown>;
  completedDependencies: string[];
  /** The attempt's timeout, counted by the worker from when it starts the handler. */
  timeoutMs: number;
}

/** A failure as a worker reports it, rebuilt into a `NodeExecutionError` by the engine. */
export interface NodeJobError {
  message: string;
  code?: string;
  retryable: boolean;
  details?: unknown;
}

/**
 * What a worker returns for a job (BullMQ's return value): the handler's result, or its
 * failure. A handler's failure is a result, not a failed job: BullMQ's own `failed` is kept for
 * an attempt the worker lost (stalled, killed) and never retried by BullMQ (`attempts: 1`), so
 * the node's retry policy alone decides what happens next.
 */
export type NodeJobResult =
  | { ok: true; output: unknown; next?: string[] }
  | { ok: true; skipped: string }
  | { ok: false; error: NodeJobError };

/**
 * The job id of an attempt: unique per attempt (the fencing token grows with every attempt and
 * every change of owner), so re-adding it after Redis lost it is idempotent while it exists,
 * and a result names the attempt it belongs to. BullMQ refuses `:` in custom ids.
 */
export function nodeJobId(executionId: string, fencingToken: number): string {
  return `${executionId}.${fencingToken}`;
}

/** The execution id in a job id made by `nodeJobId`. */
export function executionOfJob(jobId: string): string {
  return jobId.slice(0, jobId.lastIndexOf('.'));
}
