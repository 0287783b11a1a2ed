import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { STATUS_GLYPH } from '../components/status';
import type { DagNode } from './graph-model';

const ROW = 44;
/** Above this many nodes only the rows in view are rendered. */
const VIRTUAL_FROM = 300;
const VIEW_ROWS = 16;

interface NodeListProps {
  nodes: DagNode[];
  statusOf: (id: string) => string | undefined;
  selected: string | null;
  onSelect: (id: string) => void;
  /** Changes whenever statuses changed (re-renders the rows in view). */
  version: number;
}

/**
 * Every node of the graph as a keyboard-navigable listbox (arrows, Home, End, Page keys; Enter
 * opens the node), the accessible twin of the canvas. Each row is `node-<id>`. Big graphs render
 * only the rows in view; the filter narrows by id, type or status.
 */
export function NodeList({ nodes, statusOf, selected, onSelect, version }: NodeListProps) {
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const text = filter.trim().toLowerCase();
    if (!text) return nodes;
    return nodes.filter(
      (n) =>
        n.id.toLowerCase().includes(text) ||
        n.type.toLowerCase().includes(text) ||
        (statusOf(n.id) ?? '').includes(text),
    );
    // NOTE: statuses change with version.
  }, [nodes, filter, version]);
  const virtual = shown.length > VIRTUAL_FROM;
  useEffect(() => {
    const at = selected ? shown.findIndex((n) => n.id === selected) : -1;
    if (at >= 0) {
      setActive(at);
      reveal(at);
    }
  }, [selected]);

  function reveal(index: number): void {
    const el = box.current;
    if (!el) return;
    const top = index * ROW;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW - el.clientHeight;
  }

  function move(index: number): void {
    const next = Math.max(0, Math.min(shown.length - 1, index));
    setActive(next);
    reveal(next);
  }

  function onKeyDown(event: KeyboardEvent): void {
    const keys: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      Home: 0,
      End: shown.length - 1,
      PageDown: active + 10,
      PageUp: active - 10,
    };
    if (event.key in keys) {
      event.preventDefault();
      move(keys[event.key]);
    } else if ((event.key === 'Enter' || event.key === ' ') && shown[active]) {
      event.preventDefault();
      onSelect(shown[active].id);
    }
  }

  const first = virtual ? Math.max(0, Math.floor(scrollTop / ROW) - 4) : 0;
  const last = virtual ? Math.min(shown.length, first + VIEW_ROWS + 8) : shown.length;
  const activeId = shown[active] ? `node-option-${active}` : undefined;
  return (
    <div class="node-list">
      <label class="filter">
        Filter nodes{' '}
        <input
          type="search"
          value={filter}
          placeholder="id, type or status"
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
        />
      </label>
      <div
        ref={box}
        class="listbox"
        role="listbox"
        tabIndex={0}
        aria-label={`Nodes (${shown.length})`}
        aria-activedescendant={activeId}
        onKeyDown={onKeyDown}
        onScroll={(e) => virtual && setScrollTop((e.target as HTMLElement).scrollTop)}
      >
        <div
          class={virtual ? 'listbox-inner virtual' : 'listbox-inner'}
          ref={(el) => {
            if (el && virtual) el.style.height = `${shown.length * ROW}px`;
          }}
        >
          {shown.slice(first, last).map((node, i) => {
            const index = first + i;
            const status = statusOf(node.id);
            return (
              <div
                key={node.id}
                id={`node-option-${index}`}
                role="option"
                aria-selected={node.id === selected}
                data-testid={`node-${node.id}`}
                data-status={status}
                class={[
                  'option',
                  index === active ? 'active' : '',
                  node.ghost || node.problems.length ? 'problem' : '',
                  status ? `status-${status}` : '',
                ].join(' ')}
                ref={(el) => {
                  if (el && virtual) el.style.top = `${index * ROW}px`;
                }}
                onClick={() => {
                  setActive(index);
                  onSelect(node.id);
                }}
              >
                <span class="glyph" aria-hidden="true">
                  {status ? STATUS_GLYPH[status] : node.ghost || node.problems.length ? '⚠' : '•'}
                </span>
                <span class="id">{node.id}</span>
                <span class="meta">
                  {status ? `${status} · ` : ''}
                  {node.ghost ? 'unknown dependency' : `${node.type} · ${node.strategy}`}
                </span>
                {node.problems.length > 0 && (
                  <span class="sr-only">: {node.problems.join('; ')}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
