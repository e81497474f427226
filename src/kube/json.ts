/**
 * Reading list responses as the API server sends them (JSON, see `call.json` in caller.ts): the
 * items, and the token of the next page. Anything else in a body is the facts readers' business.
 */
import type { KubeObject } from './types.ts';

/** A list response's items; none when the body has no `items` array. */
export function itemsOf(list: unknown): KubeObject[] {
  const items = (list as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items.filter((i) => typeof i === 'object' && i !== null && !Array.isArray(i)) as KubeObject[]) : [];
}

/** The `metadata.continue` token of a list response, or undefined on its last page. */
export function continueOf(list: unknown): string | undefined {
  const token = (list as { metadata?: { continue?: unknown } } | null)?.metadata?.continue;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
