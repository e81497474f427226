/**
 * Turning the samples of a combined usage query (values and ages) into fresh values per key, the
 * keys that had to be dropped and why, or a failure: no series at all (`missing`), nothing fresh
 * enough (`stale`), or series that break the query contract (`bad-data`).
 */
import { SELECTOR_LABEL, SERIES_LABEL } from './queries.ts';
import type { PromFailureKind, PromSample } from './types.ts';

/** Why a usage read failed: the query's own failure, or the data's. */
export type UsageFailureKind = PromFailureKind | 'stale' | 'missing';

/** A failed usage read, with a message an operator can act on. */
export type UsageFailure = Readonly<{ ok: false; kind: UsageFailureKind; message: string }>;

/** A key left out of the result: sample too old, no age series for it, or not a byte count. */
export type DroppedSeries = Readonly<{ key: string; reason: 'stale' | 'no-age' | 'bad-value'; message: string; ageSeconds?: number }>;

/** Fresh values per key, with the age of the newest sample among them. */
export type FreshValues = Readonly<{
  ok: true;
  values: Readonly<Record<string, number>>;
  /** Age in seconds of the newest sample behind the values (Prometheus's clock). */
  newestSampleAgeSeconds: number;
  dropped: readonly DroppedSeries[];
}>;

/** What to check: which query (for messages), how keys are read from labels, the age limit. */
export type FreshnessSpec = Readonly<{
  what: string;
  keyLabels: readonly string[];
  keyOf: (labels: Readonly<Record<string, string>>) => string;
  maxAgeSeconds: number;
  /** Ages are per selector (configured query), not per key. */
  custom: boolean;
  /** Where the data was looked for, e.g. "on node worker-1", for the missing message. */
  scope: string;
}>;

const secs = (n: number) => `${Math.round(n)} s`;

function failure(kind: UsageFailureKind, message: string): UsageFailure {
  return { ok: false, kind, message };
}

/** Splits the samples and decides; never throws. */
export function judgeFreshness(samples: readonly PromSample[], spec: FreshnessSpec): FreshValues | UsageFailure {
  const values = new Map<string, number>();
  const ages = new Map<string, number>();
  const selectorAges: Array<[string, number]> = [];
  for (const s of samples) {
    const kind = s.labels[SERIES_LABEL];
    if (kind === 'age' && spec.custom) {
      selectorAges.push([s.labels[SELECTOR_LABEL] ?? '(selector)', s.value]);
      continue;
    }
    const missingLabel = spec.keyLabels.find((l) => (s.labels[l] ?? '') === '');
    if (missingLabel !== undefined) {
      return failure('bad-data', `${spec.what} must return the label "${missingLabel}" on every series; got {${Object.entries(s.labels).filter(([k]) => k !== SERIES_LABEL).map(([k, v]) => `${k}="${v}"`).join(', ')}}`);
    }
    const key = spec.keyOf(s.labels);
    const into = kind === 'age' ? ages : values;
    if (into.has(key)) return failure('bad-data', `${spec.what} returned more than one series for ${key}: aggregate it by (${spec.keyLabels.join(', ')})`);
    into.set(key, s.value);
  }
  if (values.size === 0) return failure('missing', `${spec.what} returned no series ${spec.scope}: are the exporters scraped, and does the query match their labels?`);

  const max = spec.maxAgeSeconds;
  const staleSelectors = selectorAges.filter(([, age]) => !(age <= max));
  if (staleSelectors.length > 0) {
    const list = staleSelectors.map(([sel, age]) => `${sel}: newest sample ${secs(age)} old`).join('; ');
    return failure('stale', `${spec.what} reads stale data (max ${secs(max)}): ${list}`);
  }
  const globalAge = selectorAges.length > 0 ? Math.max(...selectorAges.map(([, a]) => a)) : undefined;

  const fresh: Record<string, number> = {};
  const dropped: DroppedSeries[] = [];
  let newest = Number.POSITIVE_INFINITY;
  for (const [key, value] of values) {
    const age = spec.custom ? globalAge : ages.get(key);
    if (age === undefined && !spec.custom) {
      dropped.push({ key, reason: 'no-age', message: `${spec.what} for ${key}: no sample age` });
    } else if (age !== undefined && !(age <= max)) {
      dropped.push({ key, reason: 'stale', ageSeconds: age, message: `${spec.what} for ${key}: newest sample ${secs(age)} old (max ${secs(max)})` });
    } else if (!Number.isFinite(value) || value < 0) {
      dropped.push({ key, reason: 'bad-value', message: `${spec.what} for ${key}: ${value} is not a byte count` });
    } else {
      fresh[key] = value;
      newest = Math.min(newest, age ?? 0);
    }
  }
  if (Object.keys(fresh).length === 0) {
    const sample = dropped.slice(0, 5).map((d) => d.message).join('; ');
    const kind = dropped.some((d) => d.reason !== 'bad-value') ? 'stale' : 'bad-data';
    return failure(kind, `${spec.what}: nothing usable ${spec.scope} (${dropped.length} series): ${sample}`);
  }
  return { ok: true, values: fresh, newestSampleAgeSeconds: Math.max(0, newest), dropped };
}
