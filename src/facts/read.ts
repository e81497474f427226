/**
 * Defensive readers for untrusted JSON (a List posted to `/simulate`). Each names the path of what
 * it rejects, so a 400 tells the user which field of which item is wrong. They throw
 * `ShapeError`, which `fromList` turns into an `invalid-list` value at its boundary: deep parsers
 * stay readable, and nothing escapes as an exception.
 */
import { parseQuantity, parseValue, type Quantity } from './quantity.ts';

/** A field of the input that is not what Kubernetes would have printed. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A JSON object. */
export type Obj = Readonly<Record<string, unknown>>;

/** Fails with the path and what was expected there. */
export function fail(path: string, expected: string): never {
  throw new ShapeError(`${path}: expected ${expected}`);
}

/** True for a non-null, non-array object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object, or `{}` when absent (undefined or null, as JSON omits or nulls empty fields). */
export function optObj(v: unknown, path: string): Obj {
  if (v === undefined || v === null) return EMPTY;
  return isObj(v) ? v : fail(path, 'an object');
}

/** An array, or `[]` when absent. */
export function optArr(v: unknown, path: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : fail(path, 'an array');
}

/** A non-empty string. */
export function str(v: unknown, path: string): string {
  return typeof v === 'string' && v.length > 0 ? v : fail(path, 'a non-empty string');
}

/** A string, or null when absent. */
export function optStr(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : fail(path, 'a string');
}

/** A boolean, false when absent. */
export function optBool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  return typeof v === 'boolean' ? v : fail(path, 'a boolean');
}

/** An integer, or null when absent. */
export function optInt(v: unknown, path: string): number | null {
  if (v === undefined || v === null) return null;
  return Number.isSafeInteger(v) ? (v as number) : fail(path, 'an integer');
}

/** An RFC 3339 time, or null when absent. */
export function optTime(v: unknown, path: string): string | null {
  const s = optStr(v, path);
  if (s === null) return null;
  return Number.isNaN(Date.parse(s)) ? fail(path, 'an RFC 3339 time') : s;
}

/** A `map[string]string` (labels, annotations, nodeSelector) copied out, `{}` when absent. */
export function strMap(v: unknown, path: string): Readonly<Record<string, string>> {
  const o = optObj(v, path);
  const out: Record<string, string> = {};
  for (const k of Object.keys(o)) {
    const value = o[k];
    if (typeof value !== 'string') fail(`${path}.${k}`, 'a string');
    // A `__proto__` key from JSON must stay a plain entry, not set the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}

/** A string array, `[]` when absent. */
export function strArr(v: unknown, path: string): readonly string[] {
  return optArr(v, path).map((s, i) => (typeof s === 'string' ? s : fail(`${path}[${i}]`, 'a string')));
}

/** Quantities may be JSON strings (the norm) or numbers, as Kubernetes' UnmarshalJSON accepts. */
function quantityText(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fail(path, 'a quantity such as "512Mi"');
}

/** A non-negative quantity's `Value()` in bytes, or null when absent. */
export function optBytes(v: unknown, path: string): number | null {
  const text = quantityText(v, path);
  if (text === null) return null;
  const r = parseValue(text);
  if (!r.ok) return fail(path, `a quantity such as "512Mi" (${r.message})`);
  return r.value < 0 ? fail(path, 'a non-negative quantity') : r.value;
}

/** An exact quantity (QoS compares them exactly), or null when absent. */
export function optQuantity(v: unknown, path: string): Quantity | null {
  const text = quantityText(v, path);
  if (text === null) return null;
  const r = parseQuantity(text);
  return r.ok ? r.quantity : fail(path, `a quantity such as "500m" (${r.message})`);
}

const EMPTY: Obj = Object.freeze({});
