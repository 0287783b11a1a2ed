import { describe, expect, it } from '@jest/globals';
import type { GraphDefinition } from '../api/types';
import { buildModel, edgeKey } from './graph-model';

const CYCLE: GraphDefinition = {
  name: 'broken',
  nodes: [
    { id: 'a', type: 'DELAY', dependsOn: ['c'] },
    { id: 'b', type: 'DELAY', dependsOn: ['a'] },
    { id: 'c', type: 'DELAY', dependsOn: ['b'] },
    { id: 'd', type: 'DELAY', dependsOn: ['ghost', 'a'] },
  ],
};

/** The problem edges of a model, as `from->to: kind`, sorted. */
function problemEdges(model: ReturnType<typeof buildModel>): string[] {
  return [...model.problemEdges]
    .map(([key, kind]) => `${key.replace('\u0000', '->')}: ${kind}`)
    .sort();
}

describe('buildModel', () => {
  it('lists the nodes in definition order with their edges from dependency to dependent', () => {
    const model = buildModel({
      name: 'g',
      defaults: { strategy: 'QUEUED' },
      nodes: [
        { id: 'fetch', type: 'SETUP' },
        { id: 'test', type: 'TEST_EXECUTION', dependsOn: ['fetch'], strategy: 'DIRECT' },
        { id: 'report', type: 'DELAY', dependsOn: ['fetch', 'test'], critical: true },
      ],
    });

    expect(model.nodes.map((n) => [n.id, n.type, n.strategy, n.critical])).toEqual([
      ['fetch', 'SETUP', 'QUEUED', false],
      ['test', 'TEST_EXECUTION', 'DIRECT', false],
      ['report', 'DELAY', 'QUEUED', true],
    ]);
    expect(model.edges).toEqual([
      ['fetch', 'test'],
      ['fetch', 'report'],
      ['test', 'report'],
    ]);
    expect(model.problemEdges.size).toBe(0);
    expect(model.graphProblems).toEqual([]);
  });

  it('gives nodes without a strategy DIRECT when the graph has no default', () => {
    const model = buildModel({ name: 'g', nodes: [{ id: 'only', type: 'DELAY' }] });

    expect(model.index.get('only')?.strategy).toBe('DIRECT');
  });

  it('draws an unknown dependency once, as a ghost node named by every dependent, its edges as problems', () => {
    const model = buildModel({
      name: 'g',
      nodes: [
        { id: 'x', type: 'DELAY', dependsOn: ['missing'] },
        { id: 'y', type: 'DELAY', dependsOn: ['missing'] },
      ],
    });
    const ghost = model.index.get('missing');

    expect(model.nodes.map((n) => n.id)).toEqual(['x', 'y', 'missing']);
    expect(ghost).toMatchObject({ ghost: true, type: 'unknown' });
    expect(ghost?.problems).toEqual(['unknown node, named in dependsOn of x']);
    expect(problemEdges(model)).toEqual(['missing->x: unknown', 'missing->y: unknown']);
  });

  it('marks every edge along a reported cycle, both ways, and the nodes on it', () => {
    const model = buildModel(CYCLE, [
      { code: 'CYCLE', message: 'cycle a -> b -> c -> a', cycle: ['a', 'b', 'c', 'a'] },
    ]);

    expect(problemEdges(model)).toEqual([
      'a->b: cycle',
      'a->c: cycle',
      'b->a: cycle',
      'b->c: cycle',
      'c->a: cycle',
      'c->b: cycle',
      'ghost->d: unknown',
    ]);
    expect(model.problemEdges.has(edgeKey('a', 'd'))).toBe(false);
    expect(model.nodes.filter((n) => n.problems.length).map((n) => n.id)).toEqual([
      'a',
      'b',
      'c',
      'ghost',
    ]);
    expect(model.index.get('a')?.problems).toEqual(['cycle a -> b -> c -> a']);
  });

  it('places a problem on the node it names, and one naming no known node in the graph list', () => {
    const model = buildModel(CYCLE, [
      { code: 'BAD_CONFIG', message: 'ms must be a number', nodeId: 'd' },
      { code: 'BAD_CONFIG', message: 'names a node that is not there', nodeId: 'nowhere' },
      { code: 'NAME_REQUIRED' },
    ]);

    expect(model.index.get('d')?.problems).toEqual(['ms must be a number']);
    expect(model.graphProblems).toEqual(['names a node that is not there', 'NAME_REQUIRED']);
  });

  it('keeps the first of two nodes with one id and skips entries that are not nodes', () => {
    const model = buildModel({
      name: 'g',
      nodes: [
        { id: 'a', type: 'DELAY' },
        { id: 'a', type: 'SETUP' },
        null as never,
        { type: 'DELAY' } as never,
        { id: 'b', type: 'DELAY', dependsOn: ['a', 42 as never] },
      ],
    });

    expect(model.nodes.map((n) => `${n.id}:${n.type}`)).toEqual(['a:DELAY', 'b:DELAY']);
    expect(model.edges).toEqual([['a', 'b']]);
  });
});
