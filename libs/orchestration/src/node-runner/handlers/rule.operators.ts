/** How one VALIDATION operator tests a value and what `value` it needs. */
export interface RuleOperatorSpec {
  /** Whether `actual` (the value at the rule's path, undefined when missing) passes. */
  test(actual: unknown, expected: unknown): boolean;
  /** Words of the default failure message: `<path> <phrase> <value>`. */
  phrase: string;
  /** Why `expected` is unusable with this operator, or undefined when it is fine. */
  checkValue(expected: unknown): string | undefined;
}

const needsValue = (v: unknown) => (v === undefined ? 'value is required' : undefined);
const needsNoValue = (v: unknown) =>
  v === undefined ? undefined : 'value is not used with this operator';
const needsList = (v: unknown) => (Array.isArray(v) ? undefined : 'value must be an array');
const needsOrderable = (v: unknown) =>
  typeof v === 'number' || typeof v === 'string' ? undefined : 'value must be a number or a string';
const needsPattern = (v: unknown) => {
  if (typeof v !== 'string') return 'value must be a regular expression (a string)';
  try {
    new RegExp(v);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/** Numbers compare with numbers, strings with strings (ISO dates sort as strings); nothing else compares. */
const ordered = (a: unknown, b: unknown, test: (order: number) => boolean) =>
  (typeof a === 'number' && typeof b === 'number') ||
  (typeof a === 'string' && typeof b === 'string')
    ? test(a < b ? -1 : a > b ? 1 : 0)
    : false;

/** Structural equality of JSON values (key order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((k) => Object.hasOwn(b, k) && jsonEquals((a as any)[k], (b as any)[k]));
}

/**
 * The operators of VALIDATION rules. `exists` means present and not null. `contains` is substring
 * for strings, membership (by JSON equality) for arrays. `matches` tests a string against a
 * JavaScript regular expression given as a string.
 */
export const RULE_OPERATORS = {
  eq: { test: jsonEquals, phrase: 'must equal', checkValue: needsValue },
  ne: { test: (a, b) => !jsonEquals(a, b), phrase: 'must not equal', checkValue: needsValue },
  gt: {
    test: (a, b) => ordered(a, b, (o) => o > 0),
    phrase: 'must be greater than',
    checkValue: needsOrderable,
  },
  gte: {
    test: (a, b) => ordered(a, b, (o) => o >= 0),
    phrase: 'must be at least',
    checkValue: needsOrderable,
  },
  lt: {
    test: (a, b) => ordered(a, b, (o) => o < 0),
    phrase: 'must be less than',
    checkValue: needsOrderable,
  },
  lte: {
    test: (a, b) => ordered(a, b, (o) => o <= 0),
    phrase: 'must be at most',
    checkValue: needsOrderable,
  },
  in: {
    test: (a, b) => Array.isArray(b) && b.some((item) => jsonEquals(a, item)),
    phrase: 'must be one of',
    checkValue: needsList,
  },
  notIn: {
    test: (a, b) => Array.isArray(b) && !b.some((item) => jsonEquals(a, item)),
    phrase: 'must not be one of',
    checkValue: needsList,
  },
  exists: {
    test: (a) => a !== undefined && a !== null,
    phrase: 'must exist',
    checkValue: needsNoValue,
  },
  notExists: {
    test: (a) => a === undefined || a === null,
    phrase: 'must not exist',
    checkValue: needsNoValue,
  },
  matches: {
    test: (a, b) => typeof a === 'string' && typeof b === 'string' && new RegExp(b).test(a),
    phrase: 'must match',
    checkValue: needsPattern,
  },
  contains: {
    test: (a, b) =>
      typeof a === 'string'
        ? typeof b === 'string' && a.includes(b)
        : Array.isArray(a) && a.some((item) => jsonEquals(item, b)),
    phrase: 'must contain',
    checkValue: needsValue,
  },
} satisfies Record<string, RuleOperatorSpec>;

/** Name of a VALIDATION operator. */
export type RuleOperator = keyof typeof RULE_OPERATORS;

/** Every operator name, for DTO validation and documentation. */
export const RULE_OPERATOR_NAMES = Object.keys(RULE_OPERATORS) as RuleOperator[];
