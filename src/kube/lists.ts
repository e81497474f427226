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
 * Runs a whole list or fold from scratch, and once more when its continue token expired midway
 * (410, after about five minutes of etcd compaction): a fold cannot restart for its caller, so
 * whoever started it from the first page does, with this.
 */
export async function onceMoreIfExpired<R extends { ok: boolean }>(run: () => Promise<R>): Promise<R> {
  const first = await run();
  const failure = first.ok ? undefined : (first as { failure?: { kind?: string } }).failure;
  return failure?.kind === 'expired' ? run() : first;
}

/** Collects every page (restarting once on an expired continue token). */
export function listAll(call: Caller, fetchPage: PageFetch, signal?: AbortSignal, chunk = CHUNK): Promise<KubeResult<KubeObject[]>> {
  return onceMoreIfExpired(async (): Promise<KubeResult<KubeObject[]>> => {
    const all: KubeObject[] = [];
    const r = await foldPages(call, fetchPage, (items) => all.push(...items), signal, chunk);
    return r.ok ? { ok: true, value: all } : r;
  });
}
