import { Types } from 'mongoose';

/** A new id for a graph or an execution: 24 hex characters whose order is creation order. */
export function newId(): string {
  return new Types.ObjectId().toHexString();
}

/** The shape of an id made by `newId()`. */
export const ID_PATTERN = /^[0-9a-f]{24}$/;

/** Whether a string has the shape of an id made by `newId()` (checked before any query). */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
