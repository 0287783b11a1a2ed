import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api/http-client';
import { EXECUTION_STATUSES, ExecutionSummary, GraphSummary, Page } from '../api/types';
import { Notice, NoticeValue, errorNotice } from '../components/notice';
import { StatusBadge } from '../components/status';
import { formatDuration } from '../components/duration';
import { Time } from '../components/time';
import { Link, href, navigate, useRoute } from '../router';

/** /executions: newest first, filtered by graph and status (in the URL), a page at a time. */
export function ExecutionsPage() {
  const { query } = useRoute();
  const graphId = query.get('graphId') ?? '';
  const status = query.get('status') ?? '';
  const cursor = query.get('cursor') ?? '';
  const [page, setPage] = useState<Page<ExecutionSummary> | null>(null);
  const [graphs, setGraphs] = useState<GraphSummary[]>([]);
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    getJson<Page<GraphSummary>>('/graphs?limit=100').then(
      (p) => setGraphs(p.items),
      (e) => setNotice(errorNotice(e)),
    );
  }, []);
  useEffect(() => {
    const search = new URLSearchParams({ limit: '20' });
    if (graphId) search.set('graphId', graphId);
    if (status) search.set('status', status);
    if (cursor) search.set('cursor', cursor);
    getJson<Page<ExecutionSummary>>(`/executions?${search}`).then(
      (p) => {
        setPage(p);
        setNotice(null);
      },
      (e) => setNotice(errorNotice(e)),
    );
  }, [graphId, status, cursor, tick]);

  const names = new Map(graphs.map((g) => [g.id, g.name]));
  const chosen = new Set(status.split(',').filter(Boolean));
  function apply(next: { graphId?: string; status?: string }): void {
    navigate(href('/executions', { graphId, status, ...next, cursor: undefined }));
  }
  return (
    <>
      <h1>Executions</h1>
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Graph{' '}
          <select
            data-testid="filter-graph"
            value={graphId}
            onChange={(e) => apply({ graphId: (e.target as HTMLSelectElement).value })}
          >
            <option value="">any graph</option>
            {graphs.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name} ({g.id.slice(-6)})
              </option>
            ))}
            {graphId && !names.has(graphId) && <option value={graphId}>{graphId}</option>}
          </select>
        </label>
        <fieldset>
          <legend>Status</legend>
          {EXECUTION_STATUSES.map((s) => (
            <label key={s} class="check">
              <input
                type="checkbox"
                data-testid={`filter-status-${s}`}
                checked={chosen.has(s)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if ((e.target as HTMLInputElement).checked) next.add(s);
                  else next.delete(s);
                  apply({ status: [...next].join(',') });
                }}
              />{' '}
              {s}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => setTick(tick + 1)}>
          Refresh
        </button>
      </form>
      <Notice notice={notice} />
      {page && page.items.length === 0 && <p class="muted">No execution matches.</p>}
      {page && page.items.length > 0 && (
        <table data-testid="execution-list">
          <thead>
            <tr>
              <th scope="col">Execution</th>
              <th scope="col">Graph</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((e) => (
              <tr key={e.id} data-testid={`execution-${e.id}`}>
                <td>
                  <Link href={href(`/executions/${e.id}`)}>
                    <code>{e.id}</code>
                  </Link>
                </td>
                <td>
                  <Link href={href(`/graphs/${e.graphId}`)}>
                    {names.get(e.graphId) ?? e.graphId}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={e.status} />
                </td>
                <td>
                  <Time iso={e.createdAt} />
                </td>
                <td>
                  {e.startedAt && e.completedAt
                    ? formatDuration(Date.parse(e.completedAt) - Date.parse(e.startedAt))
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="pager">
        {cursor && <Link href={href('/executions', { graphId, status })}>First page</Link>}{' '}
        {page?.nextCursor && (
          <Link
            data-testid="next-page"
            href={href('/executions', { graphId, status, cursor: page.nextCursor })}
          >
            Next page
          </Link>
        )}
      </p>
    </>
  );
}
