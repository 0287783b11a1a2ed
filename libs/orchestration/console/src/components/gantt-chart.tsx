import { useEffect, useRef } from 'preact/hooks';
import type { ExecutionLive } from '../live/execution-live';
import { formatDuration } from './duration';

const LABEL_W = 150;
const AXIS_H = 22;
const MAX_H = 360;

interface GanttProps {
  live: ExecutionLive;
  version: number;
  selected: string | null;
  onSelect: (id: string) => void;
}

/**
 * The timeline of every attempt: one row per node that ran, a bar per attempt from its start to
 * its end (or now), coloured and labelled by outcome. Drawn on a canvas once per animation frame
 * at most; a click on a row opens that node.
 */
export function GanttChart({ live, version, selected, onSelect }: GanttProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const rows = useRef<string[]>([]);
  const frame = useRef(0);

  useEffect(() => {
    const draw = () => {
      frame.current = 0;
      const el = canvas.current;
      if (el) rows.current = drawGantt(el, live, selected);
    };
    if (!frame.current) frame.current = requestAnimationFrame(draw);
    const timer = live.completedAt === null ? setInterval(draw, 1000) : undefined;
    return () => clearInterval(timer);
  }, [version, selected]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  function onClick(event: MouseEvent): void {
    const el = canvas.current!;
    const y = event.clientY - el.getBoundingClientRect().top - AXIS_H;
    const rowH = rowHeight(rows.current.length);
    const id = rows.current[Math.floor(y / rowH)];
    if (y >= 0 && id) onSelect(id);
  }

  return (
    <canvas
      ref={canvas}
      class="gantt"
      data-testid="gantt"
      role="img"
      aria-label="Timeline of attempts: one row per node, one bar per attempt. The node panel lists them as text."
      onClick={onClick}
    />
  );
}

function rowHeight(count: number): number {
  return Math.max(2, Math.min(18, (MAX_H - AXIS_H) / Math.max(1, count)));
}

/** Draws the chart; returns the node ids of its rows, top to bottom. */
function drawGantt(el: HTMLCanvasElement, live: ExecutionLive, selected: string | null): string[] {
  const ids = [...live.attempts.keys()].sort(
    (a, b) => live.attempts.get(a)![0].start - live.attempts.get(b)![0].start,
  );
  const rowH = rowHeight(ids.length);
  const height = Math.min(MAX_H, AXIS_H + ids.length * rowH + 4);
  const width = el.clientWidth || 600;
  const ratio = devicePixelRatio || 1;
  el.style.height = `${height}px`;
  el.width = Math.round(width * ratio);
  el.height = Math.round(height * ratio);
  const ctx = el.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const style = getComputedStyle(el);
  const color = (name: string) => style.getPropertyValue(`--${name}`).trim();
  ctx.fillStyle = color('bg');
  ctx.fillRect(0, 0, width, height);
  const now = Date.now();
  const t0 = live.startedAt ?? (ids.length ? live.attempts.get(ids[0])![0].start : now);
  const t1 = Math.max(t0 + 1, live.completedAt ?? now);
  const span = t1 - t0;
  const plotW = width - LABEL_W - 8;
  const x = (t: number) => LABEL_W + ((t - t0) / span) * plotW;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = color('muted');
  ctx.strokeStyle = color('edge');
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (span * i) / 4;
    const px = x(t);
    ctx.fillText(formatDuration(t - t0), Math.min(px + 2, width - 50), 14);
    ctx.beginPath();
    ctx.moveTo(px, AXIS_H - 4);
    ctx.lineTo(px, height);
    ctx.stroke();
  }
  ids.forEach((id, row) => {
    const y = AXIS_H + row * rowH;
    if (id === selected) {
      ctx.globalAlpha = 0.3;
      ctx.fillStyle = color('focus');
      ctx.fillRect(0, y, width, rowH);
      ctx.globalAlpha = 1;
    }
    if (rowH >= 11) {
      ctx.fillStyle = color('text');
      ctx.fillText(id.length > 22 ? `${id.slice(0, 21)}…` : id, 4, y + rowH - 4, LABEL_W - 8);
    }
    for (const attempt of live.attempts.get(id)!) {
      const outcome = attempt.outcome ?? 'running';
      ctx.fillStyle = color(`status-${outcome}`) || color('muted');
      const start = x(attempt.start);
      const end = Math.max(start + 2, x(attempt.end ?? now));
      ctx.fillRect(start, y + 1, end - start, Math.max(1, rowH - 2));
      if (rowH >= 11 && end - start > 24) {
        ctx.fillStyle = color('text');
        ctx.fillText(`#${attempt.attempt}`, start + 3, y + rowH - 4);
      }
    }
  });
  return ids;
}
