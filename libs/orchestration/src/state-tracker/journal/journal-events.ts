import { StateChangeEvent } from '../state-change.event';
import { JournalPage } from './journal-page.interface';

/** The transitions of stored pages as events (the shape `StateTracker.events$` publishes), after `after`. */
export function journalEvents(
  graphId: string,
  pages: readonly JournalPage[],
  after: number,
): StateChangeEvent[] {
  const events: StateChangeEvent[] = [];
  for (const page of pages) {
    for (const entry of page.entries) {
      if (entry.seq <= after || (entry.kind !== 'node' && entry.kind !== 'execution')) continue;
      const event: StateChangeEvent = {
        kind: entry.kind,
        executionId: page.executionId,
        graphId,
        from: entry.from,
        to: entry.to,
        at: entry.at,
        by: entry.by,
        seq: entry.seq,
      };
      if (entry.kind === 'node') {
        event.nodeId = entry.nodeId;
        event.attempt = entry.attempt;
      }
      if (entry.reason !== undefined) event.reason = entry.reason;
      events.push(event);
    }
  }
  return events;
}
