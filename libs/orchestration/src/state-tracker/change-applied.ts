import { TransitionRecord } from './execution-store.interface';

/** What `isChangeApplied` needs of a stored node state or execution. */
export interface StoredVersion {
  status: string;
  version: number;
  /** Executions: the owning instance. */
  owner?: string | null;
  history: TransitionRecord[];
}

/** What `isChangeApplied` needs of a `NodeChange` or `ExecutionChange`. */
export interface VersionedChange {
  expected: { status: string; version: number };
  version: number;
  set: { status?: string; owner?: string | null };
  history: TransitionRecord[];
}

/**
 * Whether a change that no longer matches its expectation is in the store already: written by
 * an earlier attempt of the same batch, which is then not a conflict. It is when the stored
 * version and status are the change's new ones and the stored history ends with the change's
 * last entry (same transition, same writer, same instant), so another writer's identical
 * transition still counts as a conflict.
 */
export function isChangeApplied(stored: StoredVersion, change: VersionedChange): boolean {
  if (change.version === change.expected.version) return false;
  if (stored.version !== change.version) return false;
  if (stored.status !== (change.set.status ?? change.expected.status)) return false;
  // NOTE: two instances claiming an execution in the same millisecond write look alike but for the owner.
  if (change.set.owner !== undefined && stored.owner !== change.set.owner) return false;
  const mine = change.history.at(-1);
  if (!mine) return true;
  const last = stored.history.at(-1);
  return (
    last !== undefined &&
    last.from === mine.from &&
    last.to === mine.to &&
    last.by === mine.by &&
    last.at.getTime() === mine.at.getTime()
  );
}
