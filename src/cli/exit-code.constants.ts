/**
 * Exit codes of the `trellis` command. Each command's help lists the ones it uses; the root help
 * (`trellis --help`) prints {@link EXIT_CODES_HELP}.
 */
export const ExitCode = {
  /** Done: the graph is valid, the execution completed, the request was answered. */
  OK: 0,
  /** The graph is invalid (`validate`), or the execution failed or was cancelled. */
  FAILED: 1,
  /**
   * Bad usage: unknown option, missing argument, unreadable file, malformed JSON, a graph the
   * engine rejects (`run`), a request the server rejects as invalid (HTTP 400).
   */
  USAGE: 2,
  /** The server is unreachable or answered another error (401, 404, 409, 429, 5xx). */
  UNAVAILABLE: 3,
  /** Interrupted by Ctrl-C (SIGINT). */
  INTERRUPTED: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit-code table shown at the end of `trellis --help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0    done: graph valid, execution completed, execution found (status)
  1    graph invalid (validate); execution failed or cancelled (run, submit --wait, status)
  2    bad usage: bad option or argument, unreadable file, malformed JSON, graph rejected
       by the engine (run), request rejected by the server (HTTP 400)
  3    server unreachable, or an HTTP error other than 400 (401, 404 not found, 5xx)
  130  interrupted (Ctrl-C); \`run\` cancels the execution first (cleanup nodes still run)

Environment:
  TRELLIS_URL      server URL of submit and status (default http://127.0.0.1:3000)
  TRELLIS_API_KEY  API key of submit and status, sent as Authorization: Bearer <key>
`;

/** A command's exit codes as a help section: one `code  meaning` row each. */
export function exitCodesHelp(rows: [ExitCode, string][]): string {
  return `\nExit codes:\n${rows.map(([code, text]) => `  ${String(code).padEnd(3)}  ${text}`).join('\n')}`;
}
