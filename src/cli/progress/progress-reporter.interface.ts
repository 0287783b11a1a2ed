import { ProgressEvent } from './progress-event.interface';

/** Shows an execution's progress while it runs. */
export interface ProgressReporter {
  /** Shows one state change. */
  event(event: ProgressEvent): void;
  /** Shows a message between the progress output (e.g. that Ctrl-C is cancelling). */
  note(message: string): void;
  /** Ends the display (clears a status line); the summary is printed after it. */
  stop(): void;
}
