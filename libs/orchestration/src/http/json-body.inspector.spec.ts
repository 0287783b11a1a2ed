import { inspectJsonBody } from './json-body.inspector';

/** An object nested `depth` levels deep: `{ a: { a: ... {} } }` (depth 1 is `{}`). */
function nestedObject(depth: number): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) body = { a: body };
  return body;
}

/** An array nested `depth` levels deep: `[[...[]]]` (depth 1 is `[]`). */
function nestedArray(depth: number): unknown[] {
  let body: unknown[] = [];
  for (let i = 1; i < depth; i++) body = [body];
  return body;
}

describe('inspectJsonBody', () => {
  it('accepts a body nested exactly maxDepth levels deep', () => {
    expect(inspectJsonBody(nestedObject(64), 64)).toBeNull();
    expect(inspectJsonBody(nestedArray(64), 64)).toBeNull();
  });

  it('refuses a body nested one level deeper than maxDepth with BODY_TOO_DEEP', () => {
    expect(inspectJsonBody(nestedObject(65), 64)).toEqual({
      code: 'BODY_TOO_DEEP',
      message: 'The body is nested deeper than 64 levels',
    });
    expect(inspectJsonBody(nestedArray(65), 64)?.code).toBe('BODY_TOO_DEEP');
  });

  it('counts arrays and objects alike as levels, and scalars as none', () => {
    const body = { list: [{ deep: [1, 'two', null, true] }] };
    expect(inspectJsonBody(body, 4)).toBeNull();
    expect(inspectJsonBody(body, 3)?.code).toBe('BODY_TOO_DEEP');
  });

  it('finds a too-deep branch next to shallow siblings', () => {
    const body = { a: 1, b: { c: 2 }, d: [3, 4], e: nestedObject(10) };
    expect(inspectJsonBody(body, 11)).toBeNull();
    expect(inspectJsonBody(body, 10)?.code).toBe('BODY_TOO_DEEP');
  });

  it('refuses a 1,000,000-deep array without a RangeError', () => {
    const body = nestedArray(1_000_000);
    expect(inspectJsonBody(body, 64)?.code).toBe('BODY_TOO_DEEP');
  });

  it('walks a 1,000,000-deep array under an unbounded limit without a RangeError', () => {
    const body = nestedArray(1_000_000);
    expect(inspectJsonBody(body, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('accepts scalars, null and undefined as bodies', () => {
    for (const body of [undefined, null, 0, 'text', '$where', true]) {
      expect(inspectJsonBody(body, 1)).toBeNull();
    }
  });

  it('refuses a $-prefixed key at the top level with FORBIDDEN_KEY naming it', () => {
    expect(inspectJsonBody({ name: 'x', $where: 'sleep(1000)' }, 64)).toEqual({
      code: 'FORBIDDEN_KEY',
      message: 'Keys may not start with "$" (found "$where")',
    });
  });

  it('finds a $-prefixed key nested in objects', () => {
    const body = { input: { filter: { status: { $ne: 'done' } } } };
    expect(inspectJsonBody(body, 64)).toMatchObject({
      code: 'FORBIDDEN_KEY',
      message: expect.stringContaining('"$ne"'),
    });
  });

  it('finds a $-prefixed key in an object inside arrays', () => {
    const body = { nodes: [{ id: 'a' }, { id: 'b', config: [[{ $gt: 1 }]] }] };
    expect(inspectJsonBody(body, 64)).toMatchObject({
      code: 'FORBIDDEN_KEY',
      message: expect.stringContaining('"$gt"'),
    });
    expect(inspectJsonBody([{ $or: [] }], 64)?.code).toBe('FORBIDDEN_KEY');
  });

  it('allows $ inside string values and in the middle of keys', () => {
    const body = {
      template: '$input.branch costs $5',
      list: ['$set', { price$: 1, 'a.$b': 2 }],
      env: { HOME: '$HOME' },
    };
    expect(inspectJsonBody(body, 64)).toBeNull();
  });
});
