import { ExecutionOutcome, ExecutionSummary, ListedExecution } from './execution-store.interface';
import { ExecutionStatus, TERMINAL_EXECUTION_STATUSES } from './status.enum';

/**
 * An execution as lists show it: its summary with the status of its latest outcome (`pending`
 * before any). `outcomes` are this execution's, in any order.
 */
export function toListedExecution(
  summary: ExecutionSummary,
  outcomes: readonly ExecutionOutcome[],
): ListedExecution {
  let latest: ExecutionOutcome | undefined;
  let started: ExecutionOutcome | undefined;
  for (const o of outcomes) {
    if (!latest || o.seq > latest.seq) latest = o;
    if (o.status === ExecutionStatus.RUNNING && (!started || o.seq > started.seq)) started = o;
  }
  const ended = latest !== undefined && TERMINAL_EXECUTION_STATUSES.has(latest.status);
  return {
    id: summary.id,
    graphId: summary.graphId,
    status: latest?.status ?? ExecutionStatus.PENDING,
    input: summary.input,
    error: latest?.error ?? null,
    createdAt: summary.createdAt,
    startedAt: started?.at ?? null,
    completedAt: ended ? latest!.at : null,
    idempotencyKey: summary.idempotencyKey,
  };
}

/** Whether a listed execution passes a query's graph and status filters. */
export function matchesQuery(
  execution: ListedExecution,
  query: { graphId?: string; status?: ExecutionStatus[] },
): boolean {
  if (query.graphId !== undefined && execution.graphId !== query.graphId) return false;
  return !query.status?.length || query.status.includes(execution.status);
}
