import { formatDuration } from './duration.formatter';
import { ExecutionReport } from './execution-report.interface';
import { formatTable } from './text-table.formatter';

const STATUS_ORDER = ['completed', 'failed', 'cancelled', 'skipped', 'running', 'ready', 'pending'];

function time(value: Date | string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

/** `2 completed, 1 failed, 1 skipped`: node counts by status. */
export function countByStatus(report: ExecutionReport): string {
  const counts = new Map<string, number>();
  for (const node of report.nodes) counts.set(node.status, (counts.get(node.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

/**
 * The end of a followed execution (`run`, `submit --wait`): one line with the outcome, then the
 * execution's error and the error of every failed or cancelled node.
 */
export function formatExecutionSummary(report: ExecutionReport): string[] {
  const started = time(report.startedAt) ?? time(report.createdAt);
  const ended = time(report.completedAt);
  const took = started && ended ? ` in ${formatDuration(ended.getTime() - started.getTime())}` : '';
  const lines = [
    `execution ${report.id} ${report.status}${took}: ${report.nodes.length} nodes (${countByStatus(report)})`,
  ];
  if (report.error) lines.push(`error: ${report.error.code}: ${report.error.message}`);
  const failed = report.nodes.filter((n) => n.error && n.status !== 'completed');
  if (failed.length > 0) {
    lines.push(
      ...formatTable(
        ['  NODE', 'STATUS', 'ERROR'],
        failed.map((n) => [`  ${n.nodeId}`, n.status, `${n.error!.code}: ${n.error!.message}`]),
      ),
    );
  }
  return lines;
}

/** `trellis status`: the execution's fields, then a table of its nodes. */
export function formatExecutionStatus(report: ExecutionReport): string[] {
  const created = time(report.createdAt);
  const started = time(report.startedAt);
  const ended = time(report.completedAt);
  const fields: [string, string][] = [
    ['execution', report.id],
    ['graph', report.graphId],
    ['status', report.status],
  ];
  if (report.error) fields.push(['error', `${report.error.code}: ${report.error.message}`]);
  fields.push(['created', created?.toISOString() ?? '-']);
  fields.push(['started', started?.toISOString() ?? '-']);
  fields.push(['completed', ended?.toISOString() ?? '-']);
  if (started) {
    const until = ended ?? new Date();
    fields.push([
      ended ? 'duration' : 'running for',
      formatDuration(until.getTime() - started.getTime()),
    ]);
  }
  fields.push(['nodes', `${report.nodes.length} (${countByStatus(report)})`]);
  const table = formatTable(
    ['NODE', 'STATUS', 'ATTEMPTS', 'ERROR'],
    report.nodes.map((n) => [
      n.nodeId,
      n.status,
      String(n.attempts),
      n.error ? `${n.error.code}: ${n.error.message}` : '',
    ]),
  );
  return [...formatTable(['', ''], fields).slice(1), '', ...table];
}
