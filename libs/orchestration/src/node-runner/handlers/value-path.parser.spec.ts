import { parseValuePath, readValuePath } from './value-path.parser';

describe('parseValuePath', () => {
  it('keeps node ids with dashes and colons as single keys', () => {
    expect(parseValuePath('upstream.login-tests.status')).toEqual([
      'upstream',
      'login-tests',
      'status',
    ]);
    expect(parseValuePath('upstream.ns:build_1.ok')).toEqual(['upstream', 'ns:build_1', 'ok']);
  });

  it('reads array indexes and quoted keys holding dots', () => {
    expect(parseValuePath('input.items[2].id')).toEqual(['input', 'items', '2', 'id']);
    expect(parseValuePath(`upstream["build.v2"]['a\\'b'][0]`)).toEqual([
      'upstream',
      'build.v2',
      "a'b",
      '0',
    ]);
  });

  it.each(['', 'a..b', 'a.', '.a', 'a[x]', 'a["x"', 'a[0]b', 'a]'])(
    'rejects %p with a syntax error',
    (path) => {
      expect(() => parseValuePath(path)).toThrow(SyntaxError);
    },
  );

  it('names the position of the problem', () => {
    expect(() => parseValuePath('upstream..status')).toThrow(
      'Invalid path "upstream..status": empty key at position 9',
    );
  });
});

describe('readValuePath', () => {
  const document = { upstream: { 'login-tests': { status: 'passed', cases: [{ id: 'TC-1' }] } } };

  it('returns the value at the path, or undefined when a key is missing', () => {
    expect(readValuePath(document, 'upstream.login-tests.cases[0].id')).toBe('TC-1');
    expect(readValuePath(document, 'upstream.checkout.status')).toBeUndefined();
  });

  it('never follows inherited properties', () => {
    expect(readValuePath(document, 'upstream.constructor')).toBeUndefined();
    expect(readValuePath(document, 'upstream.__proto__')).toBeUndefined();
  });
});
