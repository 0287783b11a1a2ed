/**
 * What a fault scenario did to a user, from an execution's final state and the calls its nodes
 * made to a fenced service: lost executions, attempts carried out twice, recorded outputs that do
 * not come from the last attempt started, attempts over the retry policy, the recovery time.
 */
import { FencedService } from '../cluster/fenced-service.fixture';

/** The retry policy of the fault scenarios' nodes. */
export const MAX_ATTEMPTS = 3;

/** What a scenario that carries out each attempt once must show. */
export const NOTHING_LOST = {
  lost: 0,
  reruns: 0,
  staleResultsRecorded: 0,
  attemptsOverPolicy: 0,
} as const;

export interface Figures {
  scenario: string;
  lost: number;
  /** Nodes whose recorded attempt was carried out twice (its token called the service twice). */
  reruns: number;
  staleResultsRecorded: number;
  attemptsOverPolicy: number;
  recoveryMs: number;
}

/** The figures of one execution's final state against the service's calls. */
export function figuresOf(
  scenario: string,
  execution: any,
  service: FencedService,
  recoveryMs: number,
  { print = true, maxAttempts = MAX_ATTEMPTS } = {},
): Figures {
  const calls = service.calls.filter((c) => c.executionId === execution.id);
  let stale = 0;
  let over = 0;
  let duplicates = 0;
  for (const node of execution.nodes as any[]) {
    const mine = calls.filter((c) => c.nodeId === node.nodeId);
    const last = mine.reduce((a, c) => (c.token > (a?.token ?? -1) ? c : a), undefined as any);
    if (node.status === 'completed' && last && node.fencingToken !== last.token) stale++;
    if (node.attempts > maxAttempts) over++;
    if (mine.filter((c) => c.status === 200 && c.token === node.fencingToken).length > 1)
      duplicates++;
  }
  const lost = execution.status === 'completed' ? 0 : 1;
  const figures = {
    scenario,
    lost,
    reruns: duplicates,
    staleResultsRecorded: stale,
    attemptsOverPolicy: over,
    recoveryMs,
  };
  if (print) console.log(`[faults] ${JSON.stringify(figures)}`);
  return figures;
}
