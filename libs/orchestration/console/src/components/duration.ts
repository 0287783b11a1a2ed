/**
 * A duration for people: `120 ms` below a second, `3.4 s` below a minute, then `2 min 05 s` and
 * `1 h 02 min`. Rounded before the unit is chosen, so 59,990 ms reads `1 min 00 s`, never `60.0 s`.
 */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${rest} s`;
}
