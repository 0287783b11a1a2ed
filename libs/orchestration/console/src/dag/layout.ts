import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import {
  CELL,
  GROUP_HEADER,
  GROUP_PAD,
  LayoutBox,
  LayoutEdge,
  LayoutRequest,
  LayoutResult,
  NODE_H,
  NODE_W,
} from './layout.types';

/**
 * Most boxes given to dagre. Its crossing minimisation grows fast with wide levels (about 1 s for
 * 240 nodes and 700 edges on this machine, minutes for 2,000 and 6,000), so the widest levels of
 * a bigger graph are collapsed into grids until at most this many nodes keep their own box.
 */
export const EXPAND_LIMIT = 100;

/**
 * Levels by longest path from the roots (Kahn's order). Nodes on a cycle (a definition being
 * validated) never become free: they go one level below the deepest placed node.
 */
export function levelsOf(nodes: string[], edges: [string, string][]): Map<string, number> {
  const indegree = new Map(nodes.map((id) => [id, 0]));
  const out = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const [from, to] of edges) {
    if (!indegree.has(from) || !indegree.has(to)) continue;
    indegree.set(to, indegree.get(to)! + 1);
    out.get(from)!.push(to);
  }
  const level = new Map<string, number>();
  const queue = nodes.filter((id) => indegree.get(id) === 0);
  for (const id of queue) level.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const next of out.get(id)!) {
      level.set(next, Math.max(level.get(next) ?? 0, level.get(id)! + 1));
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const deepest = Math.max(0, ...level.values());
  for (const id of nodes) if (indegree.get(id)! > 0) level.set(id, deepest + 1);
  return level;
}

/** Which levels to draw as grids: the widest first, until few enough nodes keep a box. */
function levelsToCollapse(byLevel: Map<number, string[]>, total: number): Set<number> {
  const collapsed = new Set<number>();
  let expanded = total;
  const widest = [...byLevel.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [level, members] of widest) {
    if (expanded <= EXPAND_LIMIT || members.length < 2) break;
    collapsed.add(level);
    expanded -= members.length;
  }
  return collapsed;
}

function groupBox(level: number, members: string[]): LayoutBox {
  // NOTE: about three times taller than wide: levels run left to right.
  const cols = Math.max(1, Math.ceil(Math.sqrt(members.length / 3)));
  const rows = Math.ceil(members.length / cols);
  return {
    kind: 'group',
    id: `level:${level}`,
    x: 0,
    y: 0,
    w: Math.max(NODE_W, cols * CELL + 2 * GROUP_PAD),
    h: rows * CELL + GROUP_HEADER + GROUP_PAD,
    members,
    cols,
    level,
  };
}

/**
 * Lays a graph out left to right with dagre: every node its own box when the graph is small,
 * otherwise the widest levels collapsed into grids (edges between boxes merged, with a count).
 */
export function layoutGraph(request: LayoutRequest): LayoutResult {
  const started = performance.now();
  const { nodes, edges } = request;
  const boxOf = new Map<string, string>(nodes.map((id) => [id, id]));
  const boxes = new Map<string, LayoutBox>();
  let collapsedLevels = 0;
  if (nodes.length > EXPAND_LIMIT) {
    const level = levelsOf(nodes, edges);
    const byLevel = new Map<number, string[]>();
    for (const id of nodes) {
      const l = level.get(id)!;
      if (!byLevel.has(l)) byLevel.set(l, []);
      byLevel.get(l)!.push(id);
    }
    const collapsed = levelsToCollapse(byLevel, nodes.length);
    collapsedLevels = collapsed.size;
    for (const l of collapsed) {
      const box = groupBox(l, byLevel.get(l)!);
      boxes.set(box.id, box);
      for (const id of box.members!) boxOf.set(id, box.id);
    }
  }
  for (const id of nodes) {
    if (boxOf.get(id) === id) boxes.set(id, { kind: 'node', id, x: 0, y: 0, w: NODE_W, h: NODE_H });
  }
  const merged = new Map<string, LayoutEdge>();
  for (const [from, to] of edges) {
    const a = boxOf.get(from);
    const b = boxOf.get(to);
    if (!a || !b || a === b) continue;
    const key = `${a}\u0000${b}`;
    const edge = merged.get(key);
    if (edge) edge.count++;
    else merged.set(key, { from: a, to: b, points: [], count: 1 });
  }
  const g = new graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 64, edgesep: 8, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const box of boxes.values()) g.setNode(box.id, { width: box.w, height: box.h });
  for (const edge of merged.values()) g.setEdge(edge.from, edge.to);
  dagreLayout(g);
  for (const box of boxes.values()) {
    const placed = g.node(box.id);
    box.x = placed.x - box.w / 2;
    box.y = placed.y - box.h / 2;
  }
  for (const edge of merged.values()) {
    const points = (g.edge(edge.from, edge.to)?.points ?? []) as { x: number; y: number }[];
    edge.points = points.flatMap((p) => [p.x, p.y]);
  }
  const size = g.graph() as { width?: number; height?: number };
  return {
    id: request.id,
    width: size.width ?? 0,
    height: size.height ?? 0,
    boxes: [...boxes.values()],
    edges: [...merged.values()],
    ms: performance.now() - started,
    collapsedLevels,
  };
}
