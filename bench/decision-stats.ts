/**
 * Small helpers bench:decision prints with: percentiles (nearest rank, as the other benches) and
 * fixed-width tables.
 */

/** The `p`-th percentile (0-100) by nearest rank; NaN for no samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Milliseconds with two decimals, `-` when unknown. */
export function ms(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : '-';
}

/** MiB with one decimal. */
export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/** Prints `rows` under `head` as a table: first column left-aligned, the others right-aligned. */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = '  '): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(indent + line(head));
  console.log(indent + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(indent + line(r));
}
