import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { followEventStream } from '../api/event-stream';
import { api, getJson } from '../api/http-client';
import {
  ExecutionResponse,
  ExecutionSummary,
  GraphResponse,
  NODE_STATUSES,
  TransitionEvent,
} from '../api/types';
import { ActionDialog } from '../components/action-dialog';
import { GanttChart } from '../components/gantt-chart';
import { JsonView } from '../components/json-view';
import { NodePanel } from '../components/node-panel';
import { Notice, NoticeValue, errorNotice } from '../components/notice';
import { STATUS_GLYPH, StatusCounts } from '../components/status';
import { formatDuration } from '../components/duration';
import { Time } from '../components/time';
import { DagView } from '../dag/dag-view';
import { DagModel, buildModel } from '../dag/graph-model';
import { ExecutionLive } from '../live/execution-live';
import { Link, href, navigate, useRoute } from '../router';

type StreamState = 'connecting' | 'live' | 'retrying' | 'ended';

/**
 * /executions/:id: the execution live over SSE (nodes coloured and marked by state, counts,
 * elapsed time, the timeline of attempts), a node panel, and the operator actions.
 */
export function ExecutionPage({ id }: { id: string }) {
  const { query } = useRoute();
  const [summary, setSummary] = useState<ExecutionSummary | null>(null);
  const [graph, setGraph] = useState<GraphResponse | null>(null);
  const [model, setModel] = useState<DagModel | null>(null);
  const [live, setLive] = useState<ExecutionLive | null>(null);
  const [version, setVersion] = useState(0);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [notice, setNotice] = useState<NoticeValue | null>(
    query.get('replayed')
      ? {
          kind: 'info',
          text: 'An execution with this idempotency key already existed: here it is.',
        }
      : null,
  );
  const [dialog, setDialog] = useState<'cancel' | 'retry' | null>(null);
  const [reason, setReason] = useState('');
  const selected = query.get('node');
  const following = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    const execution = await getJson<ExecutionSummary>(`/executions/${id}`);
    setSummary(execution);
    return execution;
  }, [id]);

  const follow = useCallback(
    (target: ExecutionLive) => {
      if (following.current) return;
      const abort = new AbortController();
      following.current = abort;
      setStream('connecting');
      followEventStream(
        `/executions/${id}/events`,
        target.lastSeq,
        {
          onEvent: (event, data) => {
            if (event === 'transition') target.push(JSON.parse(data) as TransitionEvent);
            else if (event === 'end') {
              const end = JSON.parse(data) as { status: string; completedAt?: string };
              target.setExecution(end.status, end.completedAt);
            }
          },
          onEnd: () => setStream('ended'),
          onStatus: (status) => setStream(status === 'open' ? 'live' : 'retrying'),
        },
        abort.signal,
      )
        .catch((error) => setNotice(errorNotice(error)))
        .finally(() => {
          if (following.current === abort) following.current = null;
          if (!abort.signal.aborted) void refresh().catch(() => undefined);
        });
    },
    [id, refresh],
  );

  useEffect(() => {
    let current: ExecutionLive | null = null;
    let gone = false;
    (async () => {
      const execution = await getJson<ExecutionResponse>(`/executions/${id}`);
      const stored = await getJson<GraphResponse>(`/graphs/${execution.graphId}`);
      if (gone) return;
      const built = buildModel(stored.definition);
      current = new ExecutionLive(
        execution,
        built.nodes.map((n) => n.id),
      );
      current.subscribe(() => setVersion(current!.version));
      setSummary(execution);
      setGraph(stored);
      setModel(built);
      setLive(current);
      follow(current);
    })().catch((error) => setNotice(errorNotice(error)));
    return () => {
      gone = true;
      following.current?.abort();
      following.current = null;
      current?.destroy();
    };
  }, [id]);

  const statusOf = useCallback((node: string) => live?.status.get(node), [live]);
  const counts = useMemo(() => ({ ...(live?.counts ?? {}) }), [live, version]);
  const select = (node: string) => navigate(href(`/executions/${id}`, { node }), true);

  async function act(path: string, body: Record<string, unknown>, done: string): Promise<void> {
    setDialog(null);
    try {
      await api('POST', path, body);
      setNotice({ kind: 'info', text: done });
      await refresh();
      if (live) follow(live);
    } catch (error) {
      setNotice(errorNotice(error));
    }
  }
  const withReason = () => (reason.trim() ? { reason: reason.trim() } : {});
  const acted = (message: NoticeValue) => {
    setNotice(message);
    void refresh();
    if (live) follow(live);
  };

  const status = live?.executionStatus ?? summary?.status;
  const node = selected && model ? model.index.get(selected) : undefined;
  return (
    <>
      <h1>
        Execution <code>{id}</code>
      </h1>
      <Notice notice={notice} onClose={() => setNotice(null)} />
      {summary && (
        <div
          class="execution-head"
          data-testid="execution-view"
          data-transitions={live?.transitions ?? 0}
          data-last-seq={live?.lastSeq ?? 0}
        >
          <p class="status-line">
            <span class={`badge status-${status}`}>
              <span aria-hidden="true">{STATUS_GLYPH[status ?? ''] ?? '•'}</span>{' '}
              <span data-testid="execution-status">{status}</span>
            </span>{' '}
            <span class={`stream ${stream}`} data-testid="stream-state" aria-live="polite">
              {STREAM_LABEL[stream]}
            </span>{' '}
            <Elapsed live={live} version={version} />
          </p>
          <dl class="facts">
            <dt>Graph</dt>
            <dd>
              <Link href={href(`/graphs/${summary.graphId}`)}>
                {graph?.name ?? summary.graphId}
              </Link>
            </dd>
            <dt>Created</dt>
            <dd>
              <Time iso={summary.createdAt} />
            </dd>
            <dt>Started</dt>
            <dd>
              <Time iso={summary.startedAt} />
            </dd>
            <dt>Ended</dt>
            <dd>
              <Time iso={summary.completedAt} />
            </dd>
            {summary.idempotencyKey && (
              <>
                <dt>Idempotency key</dt>
                <dd>
                  <code>{summary.idempotencyKey}</code>
                </dd>
              </>
            )}
            {summary.lastAction && (
              <>
                <dt>Last action</dt>
                <dd data-testid="last-action">
                  {summary.lastAction.action} by <strong>{summary.lastAction.by}</strong>
                  {summary.lastAction.reason ? `: ${summary.lastAction.reason}` : ''}
                </dd>
              </>
            )}
          </dl>
          {summary.error && <JsonView value={summary.error} label="execution error" />}
          <div class="buttons">
            <button type="button" data-testid="action-cancel" onClick={() => setDialog('cancel')}>
              Cancel execution…
            </button>
            <button type="button" data-testid="action-retry" onClick={() => setDialog('retry')}>
              Retry execution…
            </button>
          </div>
          <StatusCounts counts={counts} statuses={NODE_STATUSES} />
        </div>
      )}
      {model && live && (
        <>
          <div class="with-panel">
            <DagView
              model={model}
              statusOf={statusOf}
              version={version}
              selected={selected}
              onSelect={select}
            />
            {node && (
              <NodePanel
                key={node.id}
                executionId={id}
                node={node}
                live={live}
                version={version}
                onActed={acted}
                onError={setNotice}
              />
            )}
          </div>
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline of attempts</h2>
            <GanttChart live={live} version={version} selected={selected} onSelect={select} />
          </section>
        </>
      )}
      <ActionDialog
        title="Cancel this execution"
        testId="cancel-dialog"
        confirm="Cancel execution"
        open={dialog === 'cancel'}
        onClose={() => setDialog(null)}
        onConfirm={() =>
          void act(`/executions/${id}/cancel`, withReason(), 'Cancellation requested.')
        }
      >
        <ReasonField reason={reason} setReason={setReason} />
      </ActionDialog>
      <ActionDialog
        title="Retry this execution"
        testId="retry-dialog"
        confirm="Retry execution"
        open={dialog === 'retry'}
        onClose={() => setDialog(null)}
        onConfirm={() =>
          void act(
            `/executions/${id}/retry`,
            withReason(),
            'Retry requested: failed, cancelled and skipped nodes run again.',
          )
        }
      >
        <p>Failed, cancelled and skipped nodes run again; completed nodes keep their output.</p>
        <ReasonField reason={reason} setReason={setReason} />
      </ActionDialog>
    </>
  );
}

const STREAM_LABEL: Record<StreamState, string> = {
  connecting: '⋯ connecting',
  live: '● live',
  retrying: '↻ reconnecting',
  ended: '■ stream ended',
};

function ReasonField({ reason, setReason }: { reason: string; setReason: (r: string) => void }) {
  return (
    <label class="stack">
      Reason (recorded with your key's name)
      <input
        data-testid="dialog-reason"
        value={reason}
        onInput={(e) => setReason((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

/** Time since the execution started, ticking while it runs. */
function Elapsed({ live, version }: { live: ExecutionLive | null; version: number }) {
  const [, setNow] = useState(0);
  const running = live && live.completedAt === null;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running, version]);
  if (!live?.startedAt) return null;
  const end = live.completedAt ?? Date.now();
  return (
    <span class="elapsed" data-testid="elapsed">
      elapsed {formatDuration(Math.max(0, end - live.startedAt))}
    </span>
  );
}
