/** Where the console and the API are mounted, as the server wrote them into index.html. */
function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
}

/** The console's own path, e.g. `/console`. */
export const CONSOLE_BASE = meta('trellis-console-base') || '/console';
/** The API's prefix, `''` when it is mounted at the root. */
export const API_BASE = meta('trellis-api-base');
/** `required` when the server has API keys, `off` when not, `''` when it could not tell. */
export const AUTH_MODE = meta('trellis-auth');
