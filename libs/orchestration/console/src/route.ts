/** A location inside the console: the path after the console's base, and the query. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

/**
 * The route of `pathname` and `search` under the console's `base` (e.g. `/console`): the path
 * after it (`/` for the base itself), or `/` for a path outside it (`/consoles` is not under it).
 */
export function routeOf(base: string, pathname: string, search: string): Route {
  const inside = pathname === base || pathname.startsWith(`${base}/`);
  const path = inside ? pathname.slice(base.length) || '/' : '/';
  return { path, query: new URLSearchParams(search) };
}

/**
 * The URL of the in-app `path` under `base`, with the query's non-empty values (filters left
 * unset or cleared leave the URL), in their given order.
 */
export function consoleHref(
  base: string,
  path: string,
  query?: Record<string, string | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) search.set(key, value);
  const text = search.toString();
  return `${base}${path}${text ? `?${text}` : ''}`;
}
