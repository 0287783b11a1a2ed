import { useEffect, useRef, useState } from 'preact/hooks';
import { DagRenderer } from './dag-renderer';
import type { DagModel } from './graph-model';
import { requestLayout } from './layout.client';
import type { LayoutResult } from './layout.types';
import { NodeList } from './node-list';

interface DagViewProps {
  model: DagModel;
  /** A node's status, for an execution; undefined on a graph alone. */
  statusOf?: (id: string) => string | undefined;
  /** Changes whenever statuses changed: one redraw on the next animation frame. */
  version?: number;
  selected: string | null;
  onSelect: (id: string) => void;
}

const NO_STATUS = (): undefined => undefined;

/**
 * A graph drawn as a DAG on a canvas (laid out in a web worker), with zoom and pan controls and
 * the node list beside it. Marks `trellis:layout` and `trellis:dag-painted` in the performance
 * timeline (the bench reads them).
 */
export function DagView({
  model,
  statusOf = NO_STATUS,
  version = 0,
  selected,
  onSelect,
}: DagViewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<DagRenderer | null>(null);
  const [layout, setLayout] = useState<LayoutResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLayout(null);
    const started = performance.now();
    requestLayout(
      model.nodes.map((n) => n.id),
      model.edges,
    ).then(
      (result) => {
        if (!live) return;
        performance.measure('trellis:layout', { start: started, end: performance.now() });
        setLayout(result);
      },
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [model]);

  useEffect(() => {
    if (!layout || !canvas.current) return;
    const drawn = new DagRenderer(canvas.current, model, layout);
    drawn.onPaint = () => {
      performance.mark('trellis:dag-painted');
      canvas.current?.setAttribute('data-painted', 'true');
    };
    renderer.current = drawn;
    return () => {
      drawn.destroy();
      renderer.current = null;
    };
  }, [layout]);

  useEffect(() => {
    const drawn = renderer.current;
    if (!drawn) return;
    drawn.statusOf = statusOf;
    drawn.selected = selected;
    drawn.invalidate();
  }, [layout, version, statusOf, selected]);

  useEffect(() => {
    if (selected) renderer.current?.reveal(selected);
  }, [selected, layout]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      renderer.current?.zoom(
        Math.exp(-event.deltaY / 400),
        event.clientX - rect.left,
        event.clientY - rect.top,
      );
    };
    // NOTE: not passive, so the page does not scroll while the graph zooms.
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [layout]);

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  function onPointerDown(event: PointerEvent): void {
    drag.current = { x: event.clientX, y: event.clientY, moved: false };
    (event.target as HTMLElement).setPointerCapture(event.pointerId);
  }
  function onPointerMove(event: PointerEvent): void {
    const d = drag.current;
    const rect = (event.target as HTMLElement).getBoundingClientRect();
    if (!d) {
      // NOTE: straight to the DOM: a re-render per pointer move would redraw the node list.
      const id = renderer.current?.hit(event.clientX - rect.left, event.clientY - rect.top);
      const node = id ? model.index.get(id) : undefined;
      const status = id ? statusOf(id) : undefined;
      (event.target as HTMLElement).title = node
        ? `${node.id} (${node.type}${status ? `, ${status}` : ''})`
        : '';
      return;
    }
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
    d.x = event.clientX;
    d.y = event.clientY;
    if (d.moved) renderer.current?.pan(dx, dy);
  }
  function onPointerUp(event: PointerEvent): void {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    const rect = (event.target as HTMLElement).getBoundingClientRect();
    const id = renderer.current?.hit(event.clientX - rect.left, event.clientY - rect.top);
    if (id) onSelect(id);
  }
  function onKeyDown(event: KeyboardEvent): void {
    const r = renderer.current;
    if (!r) return;
    const step = 60;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => r.pan(step, 0),
      ArrowRight: () => r.pan(-step, 0),
      ArrowUp: () => r.pan(0, step),
      ArrowDown: () => r.pan(0, -step),
      '+': () => r.zoom(1.25),
      '=': () => r.zoom(1.25),
      '-': () => r.zoom(0.8),
      '0': () => r.fit(),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  return (
    <div class="dag">
      <div class="dag-canvas-wrap">
        <div class="toolbar" role="toolbar" aria-label="Graph view">
          <button type="button" onClick={() => renderer.current?.zoom(1.25)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => renderer.current?.zoom(0.8)} aria-label="Zoom out">
            −
          </button>
          <button type="button" onClick={() => renderer.current?.fit()}>
            Fit
          </button>
          <span class="muted" data-testid="layout-info">
            {model.nodes.length} nodes · {model.edges.length} edges
            {layout
              ? ` · laid out in ${Math.round(layout.ms)} ms` +
                (layout.collapsedLevels ? ` · ${layout.collapsedLevels} wide levels as grids` : '')
              : error
                ? ` · ${error}`
                : ' · laying out…'}
          </span>
        </div>
        <canvas
          ref={canvas}
          class="dag-canvas"
          data-testid="dag-canvas"
          tabIndex={0}
          role="img"
          aria-label={`Graph of ${model.nodes.length} nodes. Drag or arrow keys to pan, wheel or + and - to zoom, 0 to fit; the node list beside it has every node.`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onKeyDown={onKeyDown}
        />
      </div>
      <NodeList
        nodes={model.nodes}
        statusOf={statusOf}
        selected={selected}
        onSelect={onSelect}
        version={version}
      />
    </div>
  );
}
