import { CompiledGraph } from '../graph/compiled-graph';
import { CompiledGraphCache } from './compiled-graph.cache';

/** A compiled graph of `n` unconnected nodes. */
function graph(n: number): CompiledGraph {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'NOOP' }));
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const none = new Int32Array(0);
  return new CompiledGraph({ name: 'g', nodes }, nodes, index, { from: none, to: none });
}

describe('CompiledGraphCache', () => {
  it('evicts the least recently used graph once over the graph bound', () => {
    const cache = new CompiledGraphCache(2, 1_000);
    const a = graph(1);
    cache.set('a', a);
    cache.set('b', graph(1));
    expect(cache.get('a')).toBe(a);
    cache.set('c', graph(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
  });

  it('evicts by node count, but always keeps the graph just cached', () => {
    const cache = new CompiledGraphCache(256, 100);
    cache.set('a', graph(60));
    cache.set('b', graph(60));
    expect(cache.get('a')).toBeUndefined();
    const big = graph(500);
    cache.set('big', big);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('big')).toBe(big);
  });

  it('counts a graph cached twice once', () => {
    const cache = new CompiledGraphCache(256, 100);
    cache.set('a', graph(40));
    cache.set('a', graph(40));
    cache.set('b', graph(40));
    expect(cache.get('a')).toBeDefined();
    cache.delete('a');
    cache.set('c', graph(60));
    expect(cache.get('b')).toBeDefined();
  });
});
