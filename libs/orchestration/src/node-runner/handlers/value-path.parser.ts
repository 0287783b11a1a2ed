/**
 * Parses a property path such as `upstream.login-tests.status`, `input.items[0].id` or
 * `upstream["build.v2"].artifact` into its keys.
 *
 * Syntax: keys separated by `.`; a dot key is any run of characters other than `.`, `[`, `]`
 * (so node ids with dashes or colons need no quoting); `[n]` is an array index; `["key"]` or
 * `['key']` is a quoted key (for ids containing dots; `\` escapes the quote).
 *
 * @throws SyntaxError naming the position of the first problem.
 */
export function parseValuePath(path: string): string[] {
  const keys: string[] = [];
  let i = 0;
  let expectKey = true;
  const fail = (what: string): never => {
    throw new SyntaxError(`Invalid path "${path}": ${what} at position ${i}`);
  };
  if (path.length === 0) fail('empty path');
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      if (expectKey) fail('empty key');
      expectKey = true;
      i++;
    } else if (ch === '[') {
      i = readBracket(path, i, keys, fail);
      expectKey = false;
    } else if (ch === ']') {
      fail("unexpected ']'");
    } else {
      if (!expectKey) fail("expected '.' or '['");
      const start = i;
      while (i < path.length && !'.[]'.includes(path[i])) i++;
      keys.push(path.slice(start, i));
      expectKey = false;
    }
  }
  if (expectKey) fail('path ends with a dot');
  return keys;
}

function readBracket(
  path: string,
  open: number,
  keys: string[],
  fail: (what: string) => never,
): number {
  let i = open + 1;
  const quote = path[i];
  if (quote === '"' || quote === "'") {
    let key = '';
    for (i++; i < path.length && path[i] !== quote; i++) {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      key += path[i];
    }
    if (path[i] !== quote || path[i + 1] !== ']') fail('unterminated quoted key');
    keys.push(key);
    return i + 2;
  }
  const close = path.indexOf(']', i);
  const index = close < 0 ? '' : path.slice(i, close);
  if (!/^\d+$/.test(index)) fail('expected an array index or a quoted key');
  keys.push(index);
  return close + 1;
}

/**
 * Reads the value at `keys` (or a path, parsed with `parseValuePath`) in a JSON document.
 * Only own properties are followed (never `constructor` or `__proto__` of the prototype).
 * @returns the value, or undefined when any key along the way is missing.
 */
export function readValuePath(document: unknown, keys: string[] | string): unknown {
  let value = document;
  for (const key of typeof keys === 'string' ? parseValuePath(keys) : keys) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
