import { consoleMountOf } from './console-mount';

describe('consoleMountOf', () => {
  it('finds the console at the root of the server', () => {
    expect(consoleMountOf('/console', '/console')).toEqual({ prefix: '', rest: '' });
    expect(consoleMountOf('/console/executions/abc', '/console')).toEqual({
      prefix: '',
      rest: '/executions/abc',
    });
  });

  it('finds the global prefix the request came through', () => {
    expect(consoleMountOf('/api/admin/trellis/assets/app.js', '/admin/trellis')).toEqual({
      prefix: '/api',
      rest: '/assets/app.js',
    });
    expect(consoleMountOf('/v1/api/console/', '/console')).toEqual({
      prefix: '/v1/api',
      rest: '/',
    });
  });

  it('does not take a longer name for its path', () => {
    expect(consoleMountOf('/consoles/graphs', '/console')).toBeNull();
    expect(consoleMountOf('/x/consoles/console/graphs', '/console')).toEqual({
      prefix: '/x/consoles',
      rest: '/graphs',
    });
    expect(consoleMountOf('/graphs', '/console')).toBeNull();
  });
});
