/**
 * The Prometheus text exposition format (0.0.4), enough for the test exporter: gauge families,
 * label values escaped, optional explicit timestamps in milliseconds. Families of the same name
 * given more than once are merged, since the format wants each family's samples together.
 */

/** One sample: labels, value, and an explicit timestamp (ms) or none (Prometheus's scrape time). */
export type ExpoSample = { labels: Record<string, string>; value: number; ts?: number | undefined };

/** A gauge family. */
export type Family = { name: string; help: string; samples: ExpoSample[] };

/** A label value as the format escapes it: backslash, double quote and newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** Renders families as exposition text, one HELP/TYPE header per family name. */
export function renderFamilies(families: readonly Family[]): string {
  const merged = new Map<string, Family>();
  for (const f of families) {
    const into = merged.get(f.name);
    if (into === undefined) merged.set(f.name, { ...f, samples: [...f.samples] });
    else into.samples.push(...f.samples);
  }
  const lines: string[] = [];
  for (const f of merged.values()) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
      const ts = s.ts === undefined ? '' : ` ${Math.round(s.ts)}`;
      lines.push(`${f.name}{${labels}} ${formatValue(s.value)}${ts}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
