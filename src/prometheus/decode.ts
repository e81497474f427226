/**
 * Decoding the JSON of `/api/v1/query` into typed results. Prometheus writes sample values as
 * strings because JSON has no NaN or infinities: "NaN", "+Inf" and "-Inf" are legal values.
 */
import { promFailure, type PromSample, type QueryResult } from './types.ts';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A Prometheus sample value ("1.5", "NaN", "+Inf", "-Inf"); null when it is none of these. */
export function parseSampleValue(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return DECIMAL.test(text) ? Number(text) : null;
}

type Pair = { timestamp: number; value: number };

function parsePair(raw: unknown): Pair | string {
  if (!Array.isArray(raw) || raw.length !== 2) return 'a [timestamp, "value"] pair';
  const [ts, text] = raw as [unknown, unknown];
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'a numeric timestamp';
  const value = parseSampleValue(text);
  return value === null ? `a sample value, not ${JSON.stringify(text)}` : { timestamp: ts, value };
}

function parseLabels(raw: unknown): Record<string, string> | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}

function parseVector(result: unknown): PromSample[] | string {
  if (!Array.isArray(result)) return 'data.result to be an array';
  const samples: PromSample[] = [];
  for (const [i, item] of (result as unknown[]).entries()) {
    const el = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if ('histogram' in el) return `a float sample at result[${i}], not a native histogram`;
    const labels = parseLabels(el.metric);
    if (labels === null) return `result[${i}].metric to be a map of strings`;
    const pair = parsePair(el.value);
    if (typeof pair === 'string') return `result[${i}].value to be ${pair}`;
    samples.push({ labels, value: pair.value, timestamp: pair.timestamp });
  }
  return samples;
}

function warningsOf(body: Record<string, unknown>): string[] {
  const w = body.warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Turns a successful (`status: "success"`) body into a vector or scalar result. `where` names the
 * server in messages.
 */
export function decodeSuccess(body: Record<string, unknown>, where: string): QueryResult {
  const data = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Record<string, unknown>;
  const bad = (expected: string) => promFailure('bad-data', `${where}: expected ${expected} in the query answer`);
  const warnings = warningsOf(body);
  switch (data.resultType) {
    case 'vector': {
      const samples = parseVector(data.result);
      return typeof samples === 'string' ? bad(samples) : { ok: true, resultType: 'vector', samples, warnings };
    }
    case 'scalar': {
      const pair = parsePair(data.result);
      return typeof pair === 'string' ? bad(pair) : { ok: true, resultType: 'scalar', value: pair.value, timestamp: pair.timestamp, warnings };
    }
    default:
      return bad(`resultType "vector" or "scalar", not ${JSON.stringify(data.resultType)}`);
  }
}

/** Turns a `status: "error"` body into a failure: server-side timeouts are `timeout`. */
export function decodeError(body: Record<string, unknown>, where: string, status: number): QueryResult {
  const type = typeof body.errorType === 'string' ? body.errorType : 'unknown';
  const text = typeof body.error === 'string' ? body.error : '(no message)';
  const kind = type === 'timeout' ? 'timeout' : 'query-error';
  return promFailure(kind, `${where} refused the query (HTTP ${status}, ${type}): ${text}`, status);
}
