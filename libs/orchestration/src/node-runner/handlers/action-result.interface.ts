/** What one action (an HTTP request or a command) came to, whether it succeeded or not. */
export interface ActionResult {
  /** Which kind of action ran. */
  kind: 'http' | 'command';
  /** Whether it succeeded: exit code 0, or an HTTP status in `expectStatus` (default any 2xx). */
  ok: boolean;
  /** Command: the exit code; absent when the process was ended by a signal. */
  exitCode?: number;
  /** Command: the signal that ended the process (e.g. `SIGKILL`), when one did. */
  terminationSignal?: string;
  /** HTTP: the response status. */
  httpStatus?: number;
  /** HTTP: the parsed body when the response is JSON and at most 64 KiB. */
  json?: unknown;
  /** Wall-clock duration in milliseconds. */
  durationMs: number;
  /** The last 4 KiB of stdout and stderr (interleaved as received), or of the response body. */
  outputTail: string;
}

/**
 * One-line account of a result, e.g. `exit code 1` or `HTTP 503 (expected 2xx)`.
 * @param expectStatus the HTTP statuses that counted as success. Default any 2xx.
 */
export function describeActionResult(
  result: ActionResult,
  expectStatus?: number | number[],
): string {
  if (result.kind === 'http') {
    const expected = expectStatus === undefined ? '2xx' : [expectStatus].flat().join(' or ');
    return `HTTP ${result.httpStatus}${result.ok ? '' : ` (expected ${expected})`}`;
  }
  if (result.exitCode !== undefined) return `exit code ${result.exitCode}`;
  return `ended by ${result.terminationSignal}`;
}
