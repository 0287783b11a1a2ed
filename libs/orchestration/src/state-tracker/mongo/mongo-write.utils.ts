/** Splits `items` into consecutive slices of at most `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Whether a write failed only on unique keys (code 11000), for a single or a bulk write. */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as {
    code?: number;
    writeErrors?: { code?: number }[] | { code?: number };
  } | null;
  if (e?.writeErrors !== undefined) {
    const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
    return writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000);
  }
  return e?.code === 11000;
}
