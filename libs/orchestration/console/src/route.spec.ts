import { describe, expect, it } from '@jest/globals';
import { consoleHref, routeOf } from './route';

describe('routeOf', () => {
  it('reads the path after the console base and the query', () => {
    const route = routeOf('/console', '/console/executions/abc', '?node=call&replayed=1');

    expect(route.path).toBe('/executions/abc');
    expect(route.query.get('node')).toBe('call');
    expect(route.query.get('replayed')).toBe('1');
  });

  it('reads the base itself, with or without its slash, as /', () => {
    expect(routeOf('/console', '/console', '').path).toBe('/');
    expect(routeOf('/console', '/console/', '').path).toBe('/');
  });

  it('reads a path outside the base as /, also one that only starts with its letters', () => {
    expect(routeOf('/console', '/docs', '').path).toBe('/');
    expect(routeOf('/console', '/consoles/graphs', '').path).toBe('/');
  });

  it('works under a nested base (a host mounting the console elsewhere)', () => {
    expect(routeOf('/ops/trellis', '/ops/trellis/graphs/g1', '').path).toBe('/graphs/g1');
  });
});

describe('consoleHref', () => {
  it('puts the path under the base, with no query when none is set', () => {
    expect(consoleHref('/console', '/graphs')).toBe('/console/graphs');
    expect(consoleHref('/console', '/graphs', {})).toBe('/console/graphs');
  });

  it('keeps the filters that are set, drops empty and unset ones (a new filter starts on page one)', () => {
    const url = consoleHref('/console', '/executions', {
      graphId: 'g 1',
      status: 'completed,failed',
      cursor: undefined,
      node: '',
    });
    const parsed = new URL(url, 'http://host');

    expect(parsed.pathname).toBe('/console/executions');
    expect([...parsed.searchParams]).toEqual([
      ['graphId', 'g 1'],
      ['status', 'completed,failed'],
    ]);
  });

  it('round-trips through routeOf', () => {
    const url = new URL(
      consoleHref('/console', '/executions', { status: 'running', cursor: 'a&b=c' }),
      'http://host',
    );
    const route = routeOf('/console', url.pathname, url.search);

    expect(route.path).toBe('/executions');
    expect(route.query.get('status')).toBe('running');
    expect(route.query.get('cursor')).toBe('a&b=c');
  });
});
