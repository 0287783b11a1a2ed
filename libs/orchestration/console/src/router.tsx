import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { CONSOLE_BASE } from './config';
import { Store, useStore } from './store';

/** The current location inside the console: path after the base, and the query. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const path = location.pathname.startsWith(CONSOLE_BASE)
    ? location.pathname.slice(CONSOLE_BASE.length) || '/'
    : '/';
  return { path, query: new URLSearchParams(location.search) };
}

const route = new Store<Route>(current());
addEventListener('popstate', () => route.set(current()));

/** The console URL of an in-app path (`/executions/abc`). */
export function href(path: string, query?: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) search.set(key, value);
  const text = search.toString();
  return `${CONSOLE_BASE}${path}${text ? `?${text}` : ''}`;
}

/** Goes to `url` (from `href`) without reloading; `replace` keeps the history length. */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route.set(current());
  if (!replace) window.scrollTo(0, 0);
}

/** The current route, re-rendering on navigation. */
export function useRoute(): Route {
  return useStore(route);
}

/** An in-app link: a real `<a href>` (open in a new tab works), routed without a reload. */
export function Link(
  props: { href: string; children: ComponentChildren } & AnchorHTMLAttributes<HTMLAnchorElement>,
) {
  const { href: target, children, ...rest } = props;
  return (
    <a
      {...rest}
      href={target}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(target);
      }}
    >
      {children}
    </a>
  );
}
