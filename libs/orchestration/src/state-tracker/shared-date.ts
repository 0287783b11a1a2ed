/**
 * Dates handed out once per millisecond value: a journal entry and a deadline are stamped with
 * a `Date` shared with every other stamp of the same millisecond. A busy engine makes hundreds
 * of entries per millisecond, and each `Date` object costs about 100 bytes of heap; nothing in
 * Trellis mutates a `Date` it holds.
 */
export class SharedDate {
  private ms = Number.NaN;
  private date = new Date(0);

  /** A `Date` of `ms` (default now), the same object as the last call's when the value is equal. */
  at(ms: number = Date.now()): Date {
    if (ms !== this.ms) {
      this.ms = ms;
      this.date = new Date(ms);
    }
    return this.date;
  }
}

/** The stamp of journal entries (one per process). */
export const entryDates = new SharedDate();
/** The stamp of deadlines (one per process). */
export const deadlineDates = new SharedDate();
