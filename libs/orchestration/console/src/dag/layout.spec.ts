import { describe, expect, it } from '@jest/globals';
import { EXPAND_LIMIT, layoutGraph, levelsOf } from './layout';
import { CELL, GROUP_PAD, NODE_W, type LayoutBox } from './layout.types';

/** `count` ids `<prefix>0`, `<prefix>1`, ... */
function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** One root fanning out to `width` nodes that all feed one sink. */
function fan(width: number): { nodes: string[]; edges: [string, string][] } {
  const middle = ids('m', width);
  return {
    nodes: ['root', ...middle, 'sink'],
    edges: [
      ...middle.map((m): [string, string] => ['root', m]),
      ...middle.map((m): [string, string] => [m, 'sink']),
    ],
  };
}

describe('levelsOf', () => {
  it('puts a node one level below its deepest dependency (longest path from the roots)', () => {
    const levels = levelsOf(
      ['a', 'b', 'c', 'd', 'lone'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
        ['a', 'd'],
      ],
    );

    expect(Object.fromEntries(levels)).toEqual({ a: 0, b: 1, c: 2, d: 1, lone: 0 });
  });

  it('places the nodes of a cycle, and what depends on them, one level below the deepest placed node', () => {
    const levels = levelsOf(
      ['root', 'next', 'x', 'y', 'after'],
      [
        ['root', 'next'],
        ['x', 'y'],
        ['y', 'x'],
        ['y', 'after'],
      ],
    );

    expect(Object.fromEntries(levels)).toEqual({ root: 0, next: 1, x: 2, y: 2, after: 2 });
  });

  it('ignores edges to or from nodes not in the list', () => {
    const levels = levelsOf(
      ['a', 'b'],
      [
        ['ghost', 'a'],
        ['a', 'b'],
        ['b', 'elsewhere'],
      ],
    );

    expect(Object.fromEntries(levels)).toEqual({ a: 0, b: 1 });
  });
});

describe('layoutGraph', () => {
  it('gives every node of a small graph its own box, laid out left to right', () => {
    const result = layoutGraph({
      id: 4,
      nodes: ['a', 'b', 'c'],
      edges: [
        ['a', 'b'],
        ['b', 'c'],
      ],
    });
    const x = (id: string) => result.boxes.find((b) => b.id === id)!.x;

    expect(result.id).toBe(4);
    expect(result.collapsedLevels).toBe(0);
    expect(result.boxes.map((b) => [b.kind, b.id])).toEqual([
      ['node', 'a'],
      ['node', 'b'],
      ['node', 'c'],
    ]);
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));
    expect(result.edges.map((e) => [e.from, e.to, e.count])).toEqual([
      ['a', 'b', 1],
      ['b', 'c', 1],
    ]);
    expect(result.edges.every((e) => e.points.length >= 4)).toBe(true);
    expect(result.width).toBeGreaterThan(3 * NODE_W);
  });

  it(`keeps every box at ${EXPAND_LIMIT} nodes, the most drawn one by one`, () => {
    const { nodes, edges } = fan(EXPAND_LIMIT - 2);

    const result = layoutGraph({ id: 1, nodes, edges });

    expect(result.collapsedLevels).toBe(0);
    expect(result.boxes).toHaveLength(EXPAND_LIMIT);
  });

  it('collapses a wide level into one grid box and merges its edges, counted', () => {
    const { nodes, edges } = fan(300);

    const result = layoutGraph({ id: 2, nodes, edges });
    const group = result.boxes.find((b) => b.kind === 'group') as LayoutBox;

    expect(result.collapsedLevels).toBe(1);
    expect(result.boxes.map((b) => b.id).sort()).toEqual(['level:1', 'root', 'sink']);
    expect(group.level).toBe(1);
    expect(group.members).toEqual(ids('m', 300));
    // NOTE: about three times taller than wide: ceil(sqrt(300 / 3)) = 10 columns of 30 rows.
    expect(group.cols).toBe(10);
    expect(group.w).toBe(Math.max(NODE_W, 10 * CELL + 2 * GROUP_PAD));
    expect(result.edges.map((e) => [e.from, e.to, e.count])).toEqual([
      ['root', 'level:1', 300],
      ['level:1', 'sink', 300],
    ]);
  });

  it('collapses the widest levels first, only until few enough nodes keep their box', () => {
    // Level 1: 150 nodes, level 2: 60 nodes, level 3: 30 nodes; 242 in all.
    const l1 = ids('p', 150);
    const l2 = ids('q', 60);
    const l3 = ids('r', 30);
    const edges: [string, string][] = [
      ...l1.map((id): [string, string] => ['root', id]),
      ...l2.map((id, i): [string, string] => [l1[i], id]),
      ...l3.map((id, i): [string, string] => [l2[i], id]),
      ['r0', 'sink'],
    ];

    const result = layoutGraph({ id: 3, nodes: ['root', ...l1, ...l2, ...l3, 'sink'], edges });
    const groups = result.boxes.filter((b) => b.kind === 'group').map((b) => b.id);

    // 242 - 150 = 92 boxes left: at most EXPAND_LIMIT, so level 2 keeps its boxes.
    expect(groups).toEqual(['level:1']);
    expect(result.boxes).toHaveLength(1 + 92);
    expect(result.edges.find((e) => e.from === 'root')).toMatchObject({
      to: 'level:1',
      count: 150,
    });
    expect(result.edges.filter((e) => e.from === 'level:1')).toHaveLength(60);
  });

  it('never collapses a level of one node, however many levels a long chain has', () => {
    const chain = ids('n', EXPAND_LIMIT + 20);
    const edges = chain.slice(1).map((id, i): [string, string] => [chain[i], id]);

    const result = layoutGraph({ id: 5, nodes: chain, edges });

    expect(result.collapsedLevels).toBe(0);
    expect(result.boxes).toHaveLength(chain.length);
  });
});
