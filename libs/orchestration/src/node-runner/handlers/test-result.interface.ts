/** The recorded result of a TEST_EXECUTION: the node's output, or the error's `details` when it failed. */
export interface TestResult {
  /** `passed` on exit code 0 or an expected HTTP status; `failed` otherwise. */
  status: 'passed' | 'failed';
  /** Command tests: the exit code (absent when ended by a signal). */
  exitCode?: number;
  /** Command tests: the signal that ended the process. */
  terminationSignal?: string;
  /** HTTP tests: the response status. */
  httpStatus?: number;
  /** Wall-clock duration in milliseconds. */
  durationMs: number;
  /** The last 4 KiB of the test's output (stdout + stderr, or the response body). */
  outputTail: string;
  /** The suite the test ran for, when known. */
  suiteId?: string;
  /** The test case, when known. */
  caseId?: string;
  /** The test item, when known. */
  itemId?: string;
}
