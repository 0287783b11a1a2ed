import { ExecutionStatus, NodeStatus } from '../status.enum';
import { JournalEntry } from '../journal/journal-entry.interface';

/**
 * A journal entry as stored: short keys, its kind told by which key it has, `seq` implied by its
 * position in the page (pages hold consecutive entries), `by` left out when it is the page's.
 * Journal pages are the one hot write: a page's entries are stored together as one BSON blob
 * of this short form, which keeps pages small.
 */
export type StoredEntry = Record<string, unknown>;

/** The `by` most entries of a page have, stored once on the page. */
export function commonBy(entries: readonly JournalEntry[]): string {
  return entries.length > 0 ? entries[entries.length - 1].by : '';
}

/** The stored form of an entry of a page whose entries are mostly by `pageBy`. */
export function encodeEntry(entry: JournalEntry, pageBy: string): StoredEntry {
  let stored: StoredEntry;
  switch (entry.kind) {
    case 'node':
      stored = { n: entry.nodeId, f: entry.from, t: entry.to, a: entry.at, k: entry.attempt };
      if (entry.set) stored.s = entry.set;
      break;
    case 'execution':
      stored = { x: 1, f: entry.from, t: entry.to, a: entry.at };
      if (entry.set) stored.s = entry.set;
      break;
    case 'claim':
      stored = { c: entry.owner, k: entry.epoch, a: entry.at };
      break;
    case 'signal':
      stored = { g: entry.nodeId, v: entry.payload, a: entry.at };
      break;
    case 'command':
      stored = { m: entry.commandId, o: entry.command, a: entry.at };
      if (entry.refused !== undefined) stored.d = entry.refused;
      break;
  }
  if (entry.by !== pageBy) stored.b = entry.by;
  if (entry.reason !== undefined) stored.r = entry.reason;
  return stored;
}

/** The entry back from its stored form, at position `seq`. */
export function decodeEntry(stored: StoredEntry, seq: number, pageBy: string): JournalEntry {
  const base = {
    seq,
    at: stored.a as Date,
    by: (stored.b as string | undefined) ?? pageBy,
    ...(stored.r !== undefined ? { reason: stored.r as string } : {}),
  };
  if (stored.n !== undefined) {
    return {
      kind: 'node',
      ...base,
      nodeId: stored.n as string,
      from: stored.f as NodeStatus,
      to: stored.t as NodeStatus,
      attempt: stored.k as number,
      ...(stored.s !== undefined ? { set: stored.s as object } : {}),
    };
  }
  if (stored.x !== undefined) {
    return {
      kind: 'execution',
      ...base,
      from: stored.f as ExecutionStatus | 'none',
      to: stored.t as ExecutionStatus,
      ...(stored.s !== undefined ? { set: stored.s as object } : {}),
    };
  }
  if (stored.c !== undefined) {
    return { kind: 'claim', ...base, owner: stored.c as string, epoch: stored.k as number };
  }
  if (stored.g !== undefined) {
    return { kind: 'signal', ...base, nodeId: stored.g as string, payload: stored.v };
  }
  return {
    kind: 'command',
    ...base,
    commandId: stored.m as string,
    command: stored.o as string,
    ...(stored.d !== undefined ? { refused: stored.d as string } : {}),
  };
}
