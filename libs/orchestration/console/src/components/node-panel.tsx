import { useEffect, useRef, useState } from 'preact/hooks';
import { api, getJson } from '../api/http-client';
import type { NodeDetail } from '../api/types';
import type { DagNode } from '../dag/graph-model';
import type { ExecutionLive } from '../live/execution-live';
import { JsonView } from './json-view';
import { NoticeValue, errorNotice } from './notice';
import { StatusBadge } from './status';
import { formatDuration } from './duration';
import { Time } from './time';

interface NodePanelProps {
  executionId: string;
  node: DagNode;
  live: ExecutionLive;
  version: number;
  /** After an action was accepted (the page refreshes and follows the stream again). */
  onActed: (notice: NoticeValue) => void;
  onError: (notice: NoticeValue) => void;
}

type NodeAction = 'signal' | 'retry' | 'retry-downstream' | 'complete' | 'skip';

/**
 * One node of an execution: status, attempts (with their fencing tokens), output, error, its
 * history (who and why for operator actions) and the operator actions on it.
 */
export function NodePanel({ executionId, node, live, version, onActed, onError }: NodePanelProps) {
  const [detail, setDetail] = useState<NodeDetail | null>(null);
  const [reason, setReason] = useState('');
  const [payload, setPayload] = useState('{}');
  const [output, setOutput] = useState('{}');
  const [busy, setBusy] = useState(false);
  const fetched = useRef(0);
  const path = `/executions/${executionId}/nodes/${encodeURIComponent(node.id)}`;

  useEffect(() => {
    setDetail(null);
    fetched.current = 0;
  }, [node.id]);
  useEffect(() => {
    if (node.ghost) return;
    // NOTE: at most one read per 500 ms while this node keeps changing.
    const wait = Math.max(0, fetched.current + 500 - performance.now());
    const timer = setTimeout(() => {
      fetched.current = performance.now();
      getJson<NodeDetail>(path).then(setDetail, (e) => onError(errorNotice(e)));
    }, wait);
    return () => clearTimeout(timer);
  }, [node.id, live.status.get(node.id), version === 0 ? 0 : live.attempts.get(node.id)?.length]);

  async function act(action: NodeAction): Promise<void> {
    let body: Record<string, unknown> = reason.trim() ? { reason: reason.trim() } : {};
    const url = `${path}/${action === 'retry-downstream' ? 'retry' : action}`;
    try {
      if (action === 'signal') body = { ...body, payload: JSON.parse(payload || '{}') };
      if (action === 'complete') body = { ...body, output: JSON.parse(output || 'null') };
    } catch (error) {
      onError({ kind: 'error', text: `Not JSON: ${(error as Error).message}` });
      return;
    }
    if (action === 'retry-downstream') body = { ...body, downstream: true };
    setBusy(true);
    try {
      await api('POST', url, body);
      onActed({ kind: 'info', text: `${LABELS[action]}: accepted for ${node.id}.` });
      fetched.current = 0;
      getJson<NodeDetail>(path).then(setDetail, () => undefined);
    } catch (error) {
      onError(errorNotice(error));
    } finally {
      setBusy(false);
    }
  }

  const status = live.status.get(node.id) ?? detail?.status ?? 'pending';
  const attempts = live.attempts.get(node.id) ?? [];
  const tokenAttempt = detail?.attempts;
  return (
    <aside class="panel" aria-labelledby="node-panel-title" data-testid="node-panel">
      <h2 id="node-panel-title">
        Node <code>{node.id}</code>
      </h2>
      <p>
        <StatusBadge status={status} testId="node-status" /> {node.type} · {node.strategy}
        {node.critical ? ' · critical' : ''}
      </p>
      {detail && (
        <dl class="facts">
          <dt>Attempts</dt>
          <dd>{detail.attempts}</dd>
          <dt>Started</dt>
          <dd>
            <Time iso={detail.startedAt} />
          </dd>
          <dt>Completed</dt>
          <dd>
            <Time iso={detail.completedAt} />
          </dd>
          {detail.nextAttemptAt && (
            <>
              <dt>Next attempt</dt>
              <dd>
                <Time iso={detail.nextAttemptAt} />
              </dd>
            </>
          )}
          <dt>Fencing token</dt>
          <dd data-testid="fencing-token">{detail.fencingToken ?? '—'}</dd>
          {detail.lastAction && (
            <>
              <dt>Last action</dt>
              <dd>
                {detail.lastAction.action} by <strong>{detail.lastAction.by}</strong>
                {detail.lastAction.reason ? `: ${detail.lastAction.reason}` : ''}
              </dd>
            </>
          )}
        </dl>
      )}
      <fieldset class="actions" disabled={busy}>
        <legend>Actions on this node</legend>
        <label class="stack">
          Reason (recorded with your key's name)
          <input
            data-testid="action-reason"
            value={reason}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="buttons">
          <button type="button" data-testid="action-retry-node" onClick={() => void act('retry')}>
            Retry node
          </button>
          <button
            type="button"
            data-testid="action-retry-downstream"
            onClick={() => void act('retry-downstream')}
          >
            Retry node and downstream
          </button>
          <button type="button" data-testid="action-skip-node" onClick={() => void act('skip')}>
            Skip node
          </button>
        </div>
        <label class="stack">
          Signal payload (JSON)
          <textarea
            rows={2}
            data-testid="signal-payload"
            value={payload}
            onInput={(e) => setPayload((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <button type="button" data-testid="action-signal" onClick={() => void act('signal')}>
          Release gate (signal)
        </button>
        <label class="stack">
          Output when marked as succeeded (JSON)
          <textarea
            rows={2}
            data-testid="complete-output"
            value={output}
            onInput={(e) => setOutput((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <button
          type="button"
          data-testid="action-complete-node"
          onClick={() => void act('complete')}
        >
          Mark succeeded
        </button>
      </fieldset>
      <h3>Attempts</h3>
      {attempts.length === 0 ? (
        <p class="muted">No attempt yet.</p>
      ) : (
        <table class="compact" data-testid="attempts">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
              <th scope="col">Outcome</th>
              <th scope="col">Fencing token</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a, i) => (
              <tr key={i}>
                <td>{a.attempt}</td>
                <td>
                  <Time iso={new Date(a.start).toISOString()} />
                </td>
                <td>{a.end ? formatDuration(a.end - a.start) : 'running'}</td>
                <td>{a.outcome ? <StatusBadge status={a.outcome} /> : '—'}</td>
                <td>
                  {tokenOf(
                    detail,
                    a.attempt,
                    i === attempts.length - 1 && a.attempt === tokenAttempt,
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail?.error && (
        <>
          <h3>Error</h3>
          <JsonView value={detail.error} label="error" />
        </>
      )}
      <h3>Output</h3>
      <JsonView value={detail?.output} label="output" />
      <h3>History</h3>
      {detail ? (
        <table class="compact" data-testid="node-history">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Transition</th>
              <th scope="col">At</th>
              <th scope="col">By</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {detail.history.map((t) => (
              <tr key={t.seq}>
                <td>{t.seq}</td>
                <td>
                  {t.from} → {t.to}
                  {t.attempt ? ` (attempt ${t.attempt})` : ''}
                </td>
                <td>
                  <Time iso={t.at} />
                </td>
                <td>{t.by}</td>
                <td>{t.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">Loading…</p>
      )}
    </aside>
  );
}

const LABELS: Record<NodeAction, string> = {
  signal: 'Signal',
  retry: 'Retry node',
  'retry-downstream': 'Retry node and downstream',
  complete: 'Mark succeeded',
  skip: 'Skip node',
};

/** An attempt's fencing token: from its history entry when recorded, else the latest one's. */
function tokenOf(detail: NodeDetail | null, attempt: number, latest: boolean): string {
  const entry = detail?.history.find((t) => t.to === 'running' && t.attempt === attempt);
  if (entry?.fencingToken !== undefined) return String(entry.fencingToken);
  return latest && detail?.fencingToken !== undefined ? String(detail.fencingToken) : '—';
}
