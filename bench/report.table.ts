/** A whole number with thousands separators; `-` when missing. */
export const int = (n: number | undefined | null) =>
  n === undefined || n === null || !Number.isFinite(n)
    ? '-'
    : Math.round(n).toLocaleString('en-US');

/** A number with `digits` decimals (ms by default 3); `-` when missing. */
export const ms = (n: number | undefined | null, digits = 3) =>
  n === undefined || n === null || !Number.isFinite(n) ? '-' : n.toFixed(digits);

/** Bytes as MB with one decimal; `-` when missing. */
export const mb = (bytes: number | undefined | null) =>
  bytes === undefined || bytes === null || !Number.isFinite(bytes)
    ? '-'
    : (bytes / 2 ** 20).toFixed(1);

/** Renders rows as a plain-text table, numbers right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = (s: string) => /^[-+]?[\d,.]+( ?[a-zA-Z%/]*)?$|^-$/.test(s);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        numeric(cell) && c > 0 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
