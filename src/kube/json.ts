/**
 * client-node 2.x deserialises API objects into its model classes: the same camelCase keys as
 * the JSON, except that times become `Date` objects. The facts readers (shared with `/simulate`
 * snapshots) expect the JSON shape, so times are turned back into RFC 3339 strings here, in place
 * on objects we just received and own, which costs one walk and no copy.
 */
import type { KubeObject } from './types.ts';

/** RFC 3339 as Kubernetes prints it: seconds, or fractions only when there are some. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/** Replaces every `Date` inside `value` with its RFC 3339 string; returns `value`. */
export function toJsonShape<T>(value: T): T {
  walk(value, 0);
  return value;
}

/** A list response's items in JSON shape. */
export function itemsOf(list: { items?: unknown }): KubeObject[] {
  const items = Array.isArray(list.items) ? (list.items as unknown[]) : [];
  for (const item of items) walk(item, 0);
  return items as KubeObject[];
}

function walk(v: unknown, depth: number): void {
  if (depth > 64 || typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x instanceof Date) v[i] = rfc3339(x);
      else walk(x, depth + 1);
    }
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x instanceof Date) o[k] = rfc3339(x);
    else if (typeof x === 'object' && x !== null) walk(x, depth + 1);
  }
}
