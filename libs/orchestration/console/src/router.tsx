import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { CONSOLE_BASE } from './config';
import { type Route, consoleHref, routeOf } from './route';
import { Store, useStore } from './store';

function current(): Route {
  return routeOf(CONSOLE_BASE, location.pathname, location.search);
}

const route = new Store<Route>(current());
addEventListener('popstate', () => route.set(current()));

/** The console URL of an in-app path (`/executions/abc`). */
export function href(path: string, query?: Record<string, string | undefined>): string {
  return consoleHref(CONSOLE_BASE, path, query);
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
