/** What is wrong with a JSON body. */
export interface JsonBodyProblem {
  code: 'BODY_TOO_DEEP' | 'FORBIDDEN_KEY';
  message: string;
}

/**
 * Checks a parsed JSON body without recursion (a million-deep body costs no stack): nesting
 * deeper than `maxDepth`, or a key starting with `$` (a MongoDB operator) anywhere.
 * @returns the first problem, or null.
 */
export function inspectJsonBody(body: unknown, maxDepth: number): JsonBodyProblem | null {
  const values: object[] = [];
  const depths: number[] = [];
  if (body !== null && typeof body === 'object') {
    values.push(body);
    depths.push(1);
  }
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) {
      return {
        code: 'BODY_TOO_DEEP',
        message: `The body is nested deeper than ${maxDepth} levels`,
      };
    }
    const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    if (!Array.isArray(value)) {
      const bad = Object.keys(value).find((key) => key.startsWith('$'));
      if (bad !== undefined) {
        return { code: 'FORBIDDEN_KEY', message: `Keys may not start with "$" (found "${bad}")` };
      }
    }
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}
