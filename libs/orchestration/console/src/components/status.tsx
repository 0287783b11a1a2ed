import type { NodeStatus } from '../api/types';

/** A glyph per status: state is never told by colour alone. */
export const STATUS_GLYPH: Record<string, string> = {
  pending: '○',
  ready: '◔',
  waiting: '‖',
  running: '▶',
  completed: '✓',
  failed: '✕',
  skipped: '↷',
  cancelled: '⊘',
};

/** A status as a badge: glyph, word and colour. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span class={`badge status-${status}`} data-testid={testId} data-status={status}>
      <span aria-hidden="true">{STATUS_GLYPH[status] ?? '•'}</span> {status}
    </span>
  );
}

/** Counts by node status, each a labelled badge (`node-count-<status>`). */
export function StatusCounts({
  counts,
  statuses,
}: {
  counts: Record<string, number>;
  statuses: NodeStatus[];
}) {
  return (
    <ul class="counts" aria-label="Nodes by status">
      {statuses.map((status) => (
        <li key={status} class={`count status-${status}`}>
          <span aria-hidden="true">{STATUS_GLYPH[status]}</span> {status}{' '}
          <strong data-testid={`node-count-${status}`}>{counts[status] ?? 0}</strong>
        </li>
      ))}
    </ul>
  );
}
