import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, ApiErrorDetail } from '../api/api-error';
import { api, getJson } from '../api/http-client';
import type { GraphDefinition, GraphSummary, Page } from '../api/types';
import { Notice, NoticeValue, errorNotice } from '../components/notice';
import { Time } from '../components/time';
import { DagView } from '../dag/dag-view';
import { buildModel } from '../dag/graph-model';
import { Link, href, navigate, useRoute } from '../router';
import { EXAMPLE_GRAPH } from './example-graph';

/** /graphs: the stored graphs, and an editor to paste or upload, validate and save one. */
export function GraphsPage() {
  const { query } = useRoute();
  const cursor = query.get('cursor') ?? undefined;
  const [page, setPage] = useState<Page<GraphSummary> | null>(null);
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  useEffect(() => {
    const search = new URLSearchParams({ limit: '20', ...(cursor ? { cursor } : {}) });
    getJson<Page<GraphSummary>>(`/graphs?${search}`).then(setPage, (e) =>
      setNotice(errorNotice(e)),
    );
  }, [cursor]);
  return (
    <>
      <h1>Graphs</h1>
      <Notice notice={notice} />
      <section aria-labelledby="stored-title">
        <h2 id="stored-title">Stored graphs</h2>
        {page && page.items.length === 0 && <p class="muted">No graph yet: add one below.</p>}
        {page && page.items.length > 0 && (
          <table data-testid="graph-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Nodes</th>
                <th scope="col">Created</th>
                <th scope="col">Executions</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((graph) => (
                <tr key={graph.id} data-testid={`graph-${graph.id}`}>
                  <td>
                    <Link href={href(`/graphs/${graph.id}`)}>{graph.name}</Link>
                  </td>
                  <td>{graph.nodeCount}</td>
                  <td>
                    <Time iso={graph.createdAt} />
                  </td>
                  <td>
                    <Link href={href('/executions', { graphId: graph.id })}>executions</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="pager">
          {cursor && <Link href={href('/graphs')}>First page</Link>}{' '}
          {page?.nextCursor && (
            <Link href={href('/graphs', { cursor: page.nextCursor })}>Next page</Link>
          )}
        </p>
      </section>
      <GraphEditor />
    </>
  );
}

type Check =
  | { state: 'none' }
  | { state: 'valid'; nodeCount: number; edgeCount: number }
  | { state: 'invalid'; message: string; problems: ApiErrorDetail[] };

function GraphEditor() {
  const [text, setText] = useState('');
  const [check, setCheck] = useState<Check>({ state: 'none' });
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const parsed = useMemo(() => parse(text), [text]);
  const model = useMemo(
    () =>
      parsed.definition
        ? buildModel(parsed.definition, check.state === 'invalid' ? check.problems : [])
        : null,
    [parsed, check],
  );

  function edit(value: string): void {
    setText(value);
    setCheck({ state: 'none' });
    setNotice(null);
  }

  async function validate(): Promise<boolean> {
    setNotice(null);
    if (!parsed.definition) {
      setNotice({ kind: 'error', text: parsed.error ?? 'Paste a graph definition first.' });
      return false;
    }
    try {
      const { body } = await api<{ nodeCount: number; edgeCount: number }>(
        'POST',
        '/graphs/validate',
        parsed.definition,
      );
      setCheck({ state: 'valid', nodeCount: body.nodeCount, edgeCount: body.edgeCount });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        setCheck({ state: 'invalid', message: error.message, problems: error.details });
      } else setNotice(errorNotice(error));
      return false;
    }
  }

  async function save(): Promise<void> {
    if (!(await validate())) return;
    try {
      const { body } = await api<GraphSummary>('POST', '/graphs', parsed.definition);
      navigate(href(`/graphs/${body.id}`));
    } catch (error) {
      setNotice(errorNotice(error));
    }
  }

  return (
    <section aria-labelledby="editor-title" class="editor">
      <h2 id="editor-title">Add a graph</h2>
      <p class="muted">
        Paste a definition (JSON) or upload a file, then validate it: problems are shown on the
        graph.{' '}
        <button
          type="button"
          class="link"
          data-testid="load-example"
          onClick={() => edit(JSON.stringify(EXAMPLE_GRAPH, null, 2))}
        >
          Load an example
        </button>
      </p>
      <div class="editor-row">
        <label class="stack">
          Graph definition (JSON)
          <textarea
            data-testid="graph-definition"
            rows={14}
            spellcheck={false}
            value={text}
            onInput={(e) => edit((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <div class="stack">
          <label>
            Upload a file{' '}
            <input
              type="file"
              accept="application/json,.json"
              data-testid="graph-file"
              onChange={(e) => {
                const file = (e.target as HTMLInputElement).files?.[0];
                void file?.text().then(edit);
              }}
            />
          </label>
          <div class="buttons">
            <button type="button" data-testid="validate" onClick={() => void validate()}>
              Validate
            </button>
            <button
              type="button"
              class="primary"
              data-testid="save-graph"
              onClick={() => void save()}
            >
              Save graph
            </button>
          </div>
          <Notice notice={notice} />
          {parsed.error && text.trim() && <p class="notice error">{parsed.error}</p>}
          {check.state === 'valid' && (
            <p class="notice info" role="status" data-testid="validation-result">
              ✓ Valid: {check.nodeCount} nodes, {check.edgeCount} edges.
            </p>
          )}
          {check.state === 'invalid' && (
            <div class="notice error" role="alert" data-testid="validation-result">
              <p>⚠ {check.message}</p>
              <ul data-testid="problems">
                {check.problems.map((p, i) => (
                  <li key={i} data-problem={p.code}>
                    <code>{p.code}</code> {p.path && <code>{p.path}</code>} {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </div>
      {model && model.nodes.length > 0 && (
        <DagView model={model} selected={selected} onSelect={setSelected} />
      )}
    </section>
  );
}

function parse(text: string): { definition?: GraphDefinition; error?: string } {
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || !Array.isArray(value.nodes)) {
      return { error: 'A graph definition is an object with a "nodes" array.' };
    }
    return { definition: value as GraphDefinition };
  } catch (error) {
    return { error: `Not JSON: ${(error as Error).message}` };
  }
}
