/** A configured API key: the name recorded as who acted, and the secret sent as the bearer token. */
export interface ApiKey {
  name: string;
  secret: string;
}

/** Shortest secret a `name:secret` entry may carry; a shorter one makes the whole entry the secret. */
export const MIN_NAMED_SECRET_LENGTH = 16;

const NAMED = /^([A-Za-z0-9_.-]{1,64}):(.+)$/;

/**
 * Reads configured keys: `name:secret` when the entry matches `^[A-Za-z0-9_.-]{1,64}:` and the
 * secret after the colon has at least 16 characters; otherwise the whole entry is the secret
 * and its name is `key-<n>`, its 1-based position. Empty entries are left out (and not counted).
 */
export function parseApiKeys(entries: readonly string[]): ApiKey[] {
  return entries.filter((entry) => entry.length > 0).map((entry, i) => parseApiKey(entry, i + 1));
}

/** One entry of `parseApiKeys`, at 1-based `position`. */
export function parseApiKey(entry: string, position: number): ApiKey {
  const match = NAMED.exec(entry);
  if (match && match[2].length >= MIN_NAMED_SECRET_LENGTH) {
    return { name: match[1], secret: match[2] };
  }
  return { name: `key-${position}`, secret: entry };
}
