/** A progress line on stderr (`[bench] ...`), so stdout holds only the report. */
export function benchLog(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** A scenario that failed: named, with the error's message (and stack, from a child). */
export interface BenchFailure {
  scenario: string;
  error: string;
}
