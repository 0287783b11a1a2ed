/**
 * Lays out rows as left-aligned columns separated by two spaces; the last column is not padded.
 * Cells are made single-line.
 */
export function formatTable(header: string[], rows: string[][]): string[] {
  const clean = [header, ...rows].map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, ' ')));
  const widths = header.map((_, c) => Math.max(...clean.map((row) => (row[c] ?? '').length)));
  return clean.map((row) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}
