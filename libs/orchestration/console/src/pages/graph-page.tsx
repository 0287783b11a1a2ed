import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, getJson } from '../api/http-client';
import type { ExecutionSummary, GraphResponse } from '../api/types';
import { JsonView } from '../components/json-view';
import { Notice, NoticeValue, errorNotice } from '../components/notice';
import { Time } from '../components/time';
import { DagView } from '../dag/dag-view';
import { buildModel } from '../dag/graph-model';
import { Link, href, navigate } from '../router';

/** /graphs/:id: the graph drawn as a DAG, a node's definition, and a form to start it. */
export function GraphPage({ id }: { id: string }) {
  const [graph, setGraph] = useState<GraphResponse | null>(null);
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    getJson<GraphResponse>(`/graphs/${id}`).then(setGraph, (e) => setNotice(errorNotice(e)));
  }, [id]);
  const model = useMemo(() => (graph ? buildModel(graph.definition) : null), [graph]);
  if (!graph || !model) {
    return (
      <>
        <h1>Graph</h1>
        <Notice notice={notice} />
        {!notice && <p class="muted">Loading…</p>}
      </>
    );
  }
  const node = selected ? graph.definition.nodes.find((n) => n.id === selected) : undefined;
  return (
    <>
      <h1>
        Graph <span data-testid="graph-name">{graph.name}</span>
      </h1>
      <p class="muted">
        <code>{graph.id}</code> · {graph.nodeCount} nodes · created <Time iso={graph.createdAt} /> ·{' '}
        <Link href={href('/executions', { graphId: graph.id })}>its executions</Link>
      </p>
      <Notice notice={notice} />
      <div class="with-panel">
        <DagView model={model} selected={selected} onSelect={setSelected} />
        {node && (
          <aside class="panel" aria-label={`Node ${node.id}`}>
            <h2>
              Node <code>{node.id}</code>
            </h2>
            <p>
              {node.type} · {node.strategy ?? graph.definition.defaults?.strategy ?? 'DIRECT'}
              {node.critical ? ' · critical' : ''}
            </p>
            <JsonView value={node} label="definition" />
          </aside>
        )}
      </div>
      <StartForm graphId={graph.id} defaultInput={graph.definition.input} onError={setNotice} />
    </>
  );
}

function StartForm({
  graphId,
  defaultInput,
  onError,
}: {
  graphId: string;
  defaultInput?: Record<string, unknown>;
  onError: (notice: NoticeValue) => void;
}) {
  const [input, setInput] = useState(JSON.stringify(defaultInput ?? {}, null, 2));
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  async function start(event: Event): Promise<void> {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = input.trim() ? JSON.parse(input) : {};
    } catch (error) {
      onError({ kind: 'error', text: `Input is not JSON: ${(error as Error).message}` });
      return;
    }
    setBusy(true);
    try {
      const { body, headers } = await api<ExecutionSummary>(
        'POST',
        `/graphs/${graphId}/executions`,
        {
          input: parsed,
          ...(key.trim() ? { idempotencyKey: key.trim() } : {}),
        },
      );
      const replayed = headers.get('idempotent-replayed') === 'true';
      navigate(href(`/executions/${body.id}`, { replayed: replayed ? '1' : undefined }));
    } catch (error) {
      onError(errorNotice(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="start-title">
      <h2 id="start-title">Start an execution</h2>
      <form class="start" onSubmit={(e) => void start(e)}>
        <label class="stack">
          Input (JSON, merged over the graph's default input)
          <textarea
            rows={6}
            spellcheck={false}
            data-testid="execution-input"
            value={input}
            onInput={(e) => setInput((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <label class="stack">
          Idempotency key (optional: the same key answers the same execution)
          <span class="inline">
            <input
              data-testid="idempotency-key"
              value={key}
              maxLength={200}
              onInput={(e) => setKey((e.target as HTMLInputElement).value)}
            />
            <button type="button" onClick={() => setKey(crypto.randomUUID())}>
              Generate
            </button>
          </span>
        </label>
        <button type="submit" class="primary" data-testid="start-execution" disabled={busy}>
          Start execution
        </button>
      </form>
    </section>
  );
}
