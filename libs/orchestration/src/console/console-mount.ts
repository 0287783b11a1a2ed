/**
 * Where a request under the console's path was mounted. Nest mounts middleware under the host's
 * global prefix (`app.setGlobalPrefix('api')` puts the console at `/api/console`), so the
 * console finds its prefix in the request: whatever precedes its own path.
 */
export interface ConsoleMount {
  /** `''`, or the global prefix the request came through: `/api`. */
  prefix: string;
  /** What follows the console's path: `''`, `/`, `/assets/app.js`, `/executions/abc`. */
  rest: string;
}

/**
 * @param pathname the request's path, e.g. `/api/console/executions/abc`
 * @param base the console's path, e.g. `/console`
 * @returns the mount, or null when `pathname` is not under `base`
 */
export function consoleMountOf(pathname: string, base: string): ConsoleMount | null {
  for (let at = pathname.indexOf(base); at >= 0; at = pathname.indexOf(base, at + 1)) {
    const end = at + base.length;
    if (end < pathname.length && pathname[end] !== '/') continue;
    return { prefix: pathname.slice(0, at), rest: pathname.slice(end) };
  }
  return null;
}
