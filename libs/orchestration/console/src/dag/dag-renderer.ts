import { STATUS_GLYPH } from '../components/status';
import { DagModel, edgeKey } from './graph-model';
import { CELL, GROUP_HEADER, GROUP_PAD, LayoutBox, LayoutResult } from './layout.types';

/** Where a node is drawn: its own box, or a cell of a group's grid. */
interface Placed {
  x: number;
  y: number;
  w: number;
  h: number;
  cell: boolean;
}

type Colors = Record<string, string>;
const COLOR_NAMES = [
  'bg',
  'node',
  'text',
  'muted',
  'edge',
  'problem',
  'focus',
  ...Object.keys(STATUS_GLYPH).map((s) => `status-${s}`),
];

/**
 * Draws a laid-out graph on a canvas: boxes, grids of collapsed levels, edges, node states and
 * problems; pans (drag, arrows) and zooms (wheel, + and -) with one redraw per animation frame,
 * only when something changed, and only what is in view.
 */
export class DagRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private placed = new Map<string, Placed>();
  private colors: Colors = {};
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private frame = 0;
  private painted = false;
  /** Until the user pans or zooms, a resize fits the graph again. */
  private moved = false;
  private readonly observer: ResizeObserver;
  private readonly media = matchMedia('(prefers-color-scheme: dark)');
  selected: string | null = null;
  statusOf: (id: string) => string | undefined = () => undefined;
  onPaint: (() => void) | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly model: DagModel,
    private readonly layout: LayoutResult,
  ) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    for (const box of layout.boxes) this.place(box);
    this.readColors();
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(canvas);
    this.media.addEventListener('change', this.themeChanged);
    this.resize();
    this.fit();
  }

  private readonly themeChanged = (): void => {
    this.readColors();
    this.invalidate();
  };

  private place(box: LayoutBox): void {
    if (box.kind === 'node') {
      this.placed.set(box.id, { x: box.x, y: box.y, w: box.w, h: box.h, cell: false });
      return;
    }
    const cols = box.cols!;
    box.members!.forEach((id, i) => {
      this.placed.set(id, {
        x: box.x + GROUP_PAD + (i % cols) * CELL,
        y: box.y + GROUP_HEADER + Math.floor(i / cols) * CELL,
        w: CELL - 2,
        h: CELL - 2,
        cell: true,
      });
    });
  }

  private readColors(): void {
    const style = getComputedStyle(this.canvas);
    for (const name of COLOR_NAMES) this.colors[name] = style.getPropertyValue(`--${name}`).trim();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
    this.media.removeEventListener('change', this.themeChanged);
  }

  /** Schedules one redraw on the next animation frame (calls in between are merged). */
  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private resize(): void {
    const ratio = devicePixelRatio || 1;
    const { clientWidth, clientHeight } = this.canvas;
    this.canvas.width = Math.max(1, Math.round(clientWidth * ratio));
    this.canvas.height = Math.max(1, Math.round(clientHeight * ratio));
    if (this.moved) this.invalidate();
    else this.fit();
  }

  /** Scales and centres the whole graph in view. */
  fit(): void {
    const { clientWidth: w, clientHeight: h } = this.canvas;
    const width = Math.max(1, this.layout.width);
    const height = Math.max(1, this.layout.height);
    this.scale = Math.max(0.02, Math.min(1.25, w / width, h / height));
    this.tx = (w - width * this.scale) / 2;
    this.ty = (h - height * this.scale) / 2;
    this.invalidate();
  }

  /** Zooms by `factor` around a point of the canvas (its centre by default). */
  zoom(factor: number, cx = this.canvas.clientWidth / 2, cy = this.canvas.clientHeight / 2): void {
    this.moved = true;
    const next = Math.max(0.02, Math.min(8, this.scale * factor));
    this.tx = cx - ((cx - this.tx) * next) / this.scale;
    this.ty = cy - ((cy - this.ty) * next) / this.scale;
    this.scale = next;
    this.invalidate();
  }

  pan(dx: number, dy: number): void {
    this.moved = true;
    this.tx += dx;
    this.ty += dy;
    this.invalidate();
  }

  /** Brings a node into view (when it is not) and redraws its highlight. */
  reveal(id: string): void {
    const p = this.placed.get(id);
    if (!p) return;
    const { clientWidth: w, clientHeight: h } = this.canvas;
    const sx = p.x * this.scale + this.tx;
    const sy = p.y * this.scale + this.ty;
    if (sx < 0 || sy < 0 || sx + p.w * this.scale > w || sy + p.h * this.scale > h) {
      if (p.cell && this.scale < 1) this.scale = 1;
      this.tx = w / 2 - (p.x + p.w / 2) * this.scale;
      this.ty = h / 2 - (p.y + p.h / 2) * this.scale;
    }
    this.invalidate();
  }

  /** The node drawn at a point of the canvas (CSS pixels), if any. */
  hit(cx: number, cy: number): string | null {
    const x = (cx - this.tx) / this.scale;
    const y = (cy - this.ty) / this.scale;
    for (const [id, p] of this.placed) {
      if (x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + p.h) return id;
    }
    return null;
  }

  private draw(): void {
    const { ctx, canvas } = this;
    const ratio = canvas.width / Math.max(1, canvas.clientWidth);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this.colors.bg || '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(
      ratio * this.scale,
      0,
      0,
      ratio * this.scale,
      ratio * this.tx,
      ratio * this.ty,
    );
    const view = {
      x0: -this.tx / this.scale,
      y0: -this.ty / this.scale,
      x1: (canvas.clientWidth - this.tx) / this.scale,
      y1: (canvas.clientHeight - this.ty) / this.scale,
    };
    this.drawEdges();
    for (const box of this.layout.boxes) {
      if (
        box.x > view.x1 ||
        box.y > view.y1 ||
        box.x + box.w < view.x0 ||
        box.y + box.h < view.y0
      ) {
        continue;
      }
      if (box.kind === 'group') this.drawGroup(box, view);
      else this.drawNode(box);
    }
    if (!this.painted) {
      this.painted = true;
      this.onPaint?.();
    }
  }

  private drawEdges(): void {
    const { ctx } = this;
    for (const edge of this.layout.edges) {
      const problem = this.model.problemEdges.get(edgeKey(edge.from, edge.to));
      const p = edge.points;
      if (p.length < 4) continue;
      ctx.strokeStyle = problem ? this.colors.problem : this.colors.edge;
      ctx.lineWidth =
        (problem ? 3 : Math.min(6, 1 + Math.log2(edge.count))) / Math.sqrt(this.scale);
      ctx.setLineDash(problem ? [8, 5] : []);
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      for (let i = 2; i < p.length; i += 2) ctx.lineTo(p[i], p[i + 1]);
      ctx.stroke();
      this.arrow(p[p.length - 4], p[p.length - 3], p[p.length - 2], p[p.length - 1]);
      if (edge.count > 1 && this.scale > 0.3) {
        const mid = Math.floor(p.length / 4) * 2;
        ctx.fillStyle = this.colors.muted;
        ctx.font = '11px system-ui, sans-serif';
        ctx.fillText(`×${edge.count}`, p[mid] + 4, p[mid + 1] - 4);
      }
    }
    ctx.setLineDash([]);
  }

  private arrow(x0: number, y0: number, x1: number, y1: number): void {
    const { ctx } = this;
    const angle = Math.atan2(y1 - y0, x1 - x0);
    const size = 7;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - size * Math.cos(angle - 0.4), y1 - size * Math.sin(angle - 0.4));
    ctx.lineTo(x1 - size * Math.cos(angle + 0.4), y1 - size * Math.sin(angle + 0.4));
    ctx.fill();
  }

  private drawNode(box: LayoutBox): void {
    const { ctx, colors } = this;
    const node = this.model.index.get(box.id);
    const status = this.statusOf(box.id);
    const problem = Boolean(node?.ghost || node?.problems.length);
    ctx.fillStyle = status ? colors[`status-${status}`] || colors.node : colors.node;
    ctx.beginPath();
    ctx.roundRect(box.x, box.y, box.w, box.h, 6);
    ctx.fill();
    ctx.lineWidth = this.selected === box.id ? 4 : problem ? 2.5 : 1;
    ctx.strokeStyle =
      this.selected === box.id ? colors.focus : problem ? colors.problem : colors.edge;
    ctx.setLineDash(node?.ghost ? [6, 4] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    if (this.scale < 0.25) return;
    ctx.fillStyle = colors.text;
    ctx.font = '600 13px system-ui, sans-serif';
    const glyph = status ? `${STATUS_GLYPH[status] ?? ''} ` : problem ? '⚠ ' : '';
    ctx.fillText(clip(`${glyph}${box.id}`, 24), box.x + 8, box.y + 18, box.w - 16);
    ctx.font = '11px system-ui, sans-serif';
    const detail = node?.ghost
      ? 'unknown dependency'
      : `${node?.type ?? ''} · ${node?.strategy ?? ''}${node?.critical ? ' · critical' : ''}`;
    ctx.fillText(clip(detail, 30), box.x + 8, box.y + 35, box.w - 16);
  }

  private drawGroup(
    box: LayoutBox,
    view: { x0: number; y0: number; x1: number; y1: number },
  ): void {
    const { ctx, colors } = this;
    ctx.fillStyle = colors.node;
    ctx.strokeStyle = colors.edge;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.roundRect(box.x, box.y, box.w, box.h, 6);
    ctx.fill();
    ctx.stroke();
    const members = box.members!;
    const counts = new Map<string, number>();
    const glyphs = this.scale * CELL >= 14;
    if (glyphs) ctx.font = '10px system-ui, sans-serif';
    for (const id of members) {
      const p = this.placed.get(id)!;
      const status = this.statusOf(id) ?? 'none';
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (p.x > view.x1 || p.y > view.y1 || p.x + p.w < view.x0 || p.y + p.h < view.y0) continue;
      ctx.fillStyle = colors[`status-${status}`] || colors.muted;
      ctx.fillRect(p.x, p.y, p.w, p.h);
      if (glyphs && status !== 'none') {
        ctx.fillStyle = colors.text;
        ctx.fillText(STATUS_GLYPH[status] ?? '', p.x + 2, p.y + 10);
      }
      if (this.selected === id) {
        ctx.strokeStyle = colors.focus;
        ctx.lineWidth = 3;
        ctx.strokeRect(p.x - 2, p.y - 2, p.w + 4, p.h + 4);
      }
    }
    ctx.fillStyle = colors.text;
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillText(`level ${box.level} · ${members.length} nodes`, box.x + 8, box.y + 16, box.w - 16);
    ctx.font = '11px system-ui, sans-serif';
    const summary = [...counts]
      .filter(([status]) => status !== 'none')
      .map(([status, n]) => `${STATUS_GLYPH[status] ?? ''}${n}`)
      .join(' ');
    ctx.fillText(summary || 'collapsed level', box.x + 8, box.y + 32, box.w - 16);
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
