/**
 * `value` without its fields that are `undefined`: spread over defaults, such a field would
 * otherwise replace the default with `undefined`; stored, it would be written as null.
 */
export function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
