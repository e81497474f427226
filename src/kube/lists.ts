/**
 * Paginated lists (S4.4): every list asks for at most `CHUNK` items and follows `continue`, so a
 * 5,000-node cluster never answers one giant response and the API server serves each page from
 * its watch cache. `fold` hands each page over and lets it go, for sums over every pod.
 */
import type { Caller, CallOptions } from './caller.ts';
import { continueOf, itemsOf } from './json.ts';
import type { KubeObject, KubeResult } from './types.ts';

/** Items per page, as the seed's `--chunk-size=500`. */
export const CHUNK = 500;

/** One page request: `limit` and `_continue` are filled in by the pager; its body is read as JSON. */
export type PageFetch = (page: { limit: number; _continue?: string }, options: CallOptions) => Promise<unknown>;

/** Pages through a list, handing each page's items (JSON shape) to `onPage`. */
export async function foldPages(
  call: Caller,
  fetchPage: PageFetch,
  onPage: (items: readonly KubeObject[]) => void,
  signal?: AbortSignal,
  chunk = CHUNK,
): Promise<KubeResult<{ items: number; pages: number }>> {
  let token: string | undefined;
  let items = 0;
  let pages = 0;
  do {
    const page = await call.json((o) => fetchPage(token === undefined ? { limit: chunk } : { limit: chunk, _continue: token }, o), signal);
    if (!page.ok) return page;
    const got = itemsOf(page.value);
    pages += 1;
    items += got.length;
    onPage(got);
    token = continueOf(page.value);
  } while (token !== undefined);
  return { ok: true, value: { items, pages } };
}

/**
 * Collects every page. An expired continue token (410, after about five minutes of etcd
 * compaction) restarts the list once from scratch; a fold cannot do that for its caller.
 */
export async function listAll(call: Caller, fetchPage: PageFetch, signal?: AbortSignal, chunk = CHUNK): Promise<KubeResult<KubeObject[]>> {
  for (let attempt = 0; ; attempt++) {
    const all: KubeObject[] = [];
    const r = await foldPages(call, fetchPage, (items) => all.push(...items), signal, chunk);
    if (r.ok) return { ok: true, value: all };
    if (r.failure.kind !== 'expired' || attempt >= 1) return r;
  }
}
