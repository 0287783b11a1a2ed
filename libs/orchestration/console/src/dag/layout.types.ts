/** What the layout worker is asked to place: node ids and dependency edges (from -> to). */
export interface LayoutRequest {
  id: number;
  nodes: string[];
  edges: [string, string][];
}

/**
 * A drawn box: one node, or a collapsed wide level (`group`) whose members are drawn as a grid
 * of small cells, `cols` wide, in the given order.
 */
export interface LayoutBox {
  kind: 'node' | 'group';
  /** The node id, or `level:<n>` for a group. */
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  members?: string[];
  cols?: number;
  /** A group's level (0: the roots). */
  level?: number;
}

/** An edge between two boxes, as a polyline; `count` edges of the graph when boxes are groups. */
export interface LayoutEdge {
  from: string;
  to: string;
  points: number[];
  count: number;
}

/** The answer of the layout worker. */
export interface LayoutResult {
  id: number;
  width: number;
  height: number;
  boxes: LayoutBox[];
  edges: LayoutEdge[];
  /** Time the layout took in the worker. */
  ms: number;
  /** Levels drawn as grids (empty: every node has its own box). */
  collapsedLevels: number;
  error?: string;
}

export const NODE_W = 184;
export const NODE_H = 44;
export const CELL = 14;
export const GROUP_PAD = 8;
export const GROUP_HEADER = 40;
