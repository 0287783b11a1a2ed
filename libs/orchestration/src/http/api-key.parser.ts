/** A configured API key: the name recorded as who acted, and the secret sent as the bearer token. */
export interface ApiKey {
  name: string;
  secret: string;
}

/** Shortest secret a `name:secret` entry may carry. */
export const MIN_NAMED_SECRET_LENGTH = 16;

const NAMED = /^([A-Za-z0-9_.-]{1,64}):(.+)$/;

/**
 * Reads configured keys: an entry that matches `^[A-Za-z0-9_.-]{1,64}:` is `name:secret` (split
 * at the first colon); any other entry is a bare secret named `key-<n>`, its 1-based position.
 * NOTE: there is no way to give a bare secret of that shape: it is read as `name:secret`, and
 * the bearer token is then the part after the colon. Empty entries are left out (not counted).
 * @throws Error naming every bad entry (by position and name, never the secret): a `name:secret`
 * whose secret is shorter than 16 characters, two entries with the same name or the same secret.
 */
export function parseApiKeys(entries: readonly string[]): ApiKey[] {
  const problems = apiKeyProblems(entries);
  if (problems.length > 0) throw new Error(`Invalid API keys: ${problems.join('; ')}`);
  return present(entries).map((entry, i) => parseApiKey(entry, i + 1));
}

/** One entry of `parseApiKeys`, at 1-based `position`, unchecked. */
export function parseApiKey(entry: string, position: number): ApiKey {
  const match = NAMED.exec(entry);
  if (match) return { name: match[1], secret: match[2] };
  return { name: `key-${position}`, secret: entry };
}

/** What is wrong with configured keys (see `parseApiKeys`), in words that show no secret. */
export function apiKeyProblems(entries: readonly string[]): string[] {
  const problems: string[] = [];
  const given = present(entries);
  const keys = given.map((entry, i) => parseApiKey(entry, i + 1));
  keys.forEach((key, i) => {
    const named = NAMED.test(given[i]);
    if (named && key.secret.length < MIN_NAMED_SECRET_LENGTH) {
      problems.push(
        `entry ${i + 1} is read as name:secret (${key.name}) and its secret has ${key.secret.length} characters; it needs at least ${MIN_NAMED_SECRET_LENGTH} (an entry of that shape is never a bare secret)`,
      );
    }
    const sameName = keys.findIndex((other) => other.name === key.name);
    if (sameName < i) {
      problems.push(`entries ${sameName + 1} and ${i + 1} are both named ${key.name}`);
    }
    const sameSecret = keys.findIndex((other) => other.secret === key.secret);
    if (sameSecret < i)
      problems.push(`entries ${sameSecret + 1} and ${i + 1} have the same secret`);
  });
  return problems;
}

function present(entries: readonly string[]): string[] {
  return entries.filter((entry) => entry.length > 0);
}
