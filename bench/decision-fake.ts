/**
 * The `KubeApi` and `UsageSource` of part 2 of bench:decision, over the synthetic cluster of
 * `decision-synthetic.ts`. Lists are paged by the real pager (`foldPages` / `listAll` of
 * src/kube/lists.ts, 500 per page); each page is generated, serialised and parsed back with
 * `JSON.parse`, as a response body would be, and handed over on a later turn of the event loop,
 * as network I/O would, so nothing is shared between pages and nothing stays in the fake (the
 * real client hands over the parsed body too: `call.json`). Evictions are answered `evicted`, Events accepted, and
 * the state ConfigMap kept in memory with resourceVersions.
 */
import type { UsageSource } from '../src/facts/gather-usage.ts';
import type { CallOptions, Caller } from '../src/kube/caller.ts';
import { CHUNK, foldPages, listAll, type PageFetch } from '../src/kube/lists.ts';
import type { ConfigMapState, KubeApi, KubeObject, KubeResult } from '../src/kube/types.ts';
import { NAMESPACES, PDBS, SIZE, node, nodeIndex, nodeName, nodeUsed, pdb, pod, podPlace, podRequest, replicaSets, statefulSets } from './decision-synthetic.ts';

/**
 * What the fake served, for the tables: `folds` are the wall times of the walks over every pod
 * (request sums) that finished, `folding` how many are running.
 */
export type Served = { pages: number; items: number; bytes: number; folds: number[]; folding: number };

const run = async <T>(fn: (o: CallOptions) => Promise<T>): Promise<KubeResult<T>> => ({ ok: true, value: await fn({ middleware: [], middlewareMergeStrategy: 'append' }) });
const call: Caller = Object.assign(run, { json: run });
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The fake API and what it has served so far. */
export function fakeKube(): { api: KubeApi; served: Served } {
  const served: Served = { pages: 0, items: 0, bytes: 0, folds: [], folding: 0 };
  /** Pages over `count` items made by `make`, as JSON text parsed back. */
  const pager =
    (count: number, make: (i: number) => object): PageFetch =>
    async (page) => {
      await nextTurn();
      const from = page._continue === undefined ? 0 : Number(page._continue);
      const to = Math.min(count, from + page.limit);
      const text = JSON.stringify({ metadata: { resourceVersion: '1', ...(to < count ? { continue: String(to) } : {}) }, items: Array.from({ length: to - from }, (_, k) => make(from + k)) });
      served.pages += 1;
      served.items += to - from;
      served.bytes += text.length;
      return JSON.parse(text) as unknown;
    };
  const nodePods = (name: string): PageFetch => {
    const n = nodeIndex(name);
    const indices = n < 0 ? [] : Array.from({ length: Math.ceil((SIZE.pods - n) / SIZE.nodes) }, (_, k) => n + k * SIZE.nodes);
    return pager(indices.length, (k) => pod(indices[k] ?? 0));
  };
  const nsIndex = (ns: string): number => Number(/^ns-(\d+)$/.exec(ns)?.[1] ?? -1);
  const inNamespace = (ns: string, all: (k: number) => object[]): PageFetch => {
    const k = nsIndex(ns);
    const items = k >= 0 && k < NAMESPACES ? all(k) : [];
    return pager(items.length, (i) => items[i] ?? {});
  };
  const podsFor = (fieldSelector: string | undefined): PageFetch => {
    const m = /spec\.nodeName=([^,]+)/.exec(fieldSelector ?? '');
    return m?.[1] !== undefined ? nodePods(m[1]) : pager(SIZE.pods, pod);
  };
  let cm: ConfigMapState | null = null;
  let rv = 0;

  const api: KubeApi = {
    foldNodes: (onPage: (items: readonly KubeObject[]) => void) => foldPages(call, pager(SIZE.nodes, node), onPage, undefined, CHUNK),
    listPods: (o) => listAll(call, podsFor(o.fieldSelector), undefined, CHUNK),
    foldPods: async (o, onPage: (items: readonly KubeObject[]) => void) => {
      const t0 = performance.now();
      served.folding += 1;
      try {
        return await foldPages(call, podsFor(o.fieldSelector), onPage, undefined, CHUNK);
      } finally {
        served.folding -= 1;
        served.folds.push(performance.now() - t0);
      }
    },
    listPdbs: () => listAll(call, pager(PDBS, pdb), undefined, CHUNK),
    listReplicaSets: (ns) => listAll(call, inNamespace(ns, replicaSets), undefined, CHUNK),
    listStatefulSets: (ns) => listAll(call, inNamespace(ns, statefulSets), undefined, CHUNK),
    evict: async (_pod, o) => ({ result: 'evicted', dryRun: o.dryRun, attempts: 1 }),
    createEvent: async () => ({ ok: true, value: undefined }),
    readConfigMap: async (): Promise<KubeResult<ConfigMapState | null>> => ({ ok: true, value: cm }),
    writeConfigMap: async (_ns, _name, data, resourceVersion): Promise<KubeResult<ConfigMapState>> => {
      if ((cm?.resourceVersion ?? null) !== resourceVersion) return { ok: false, failure: { kind: 'conflict', status: 409, reason: 'Conflict', message: 'conflict', retryable: false, retryAfterSeconds: null } };
      cm = { data: { ...data }, resourceVersion: String(++rv) };
      return { ok: true, value: cm };
    },
    canI: async () => ({ ok: true, value: { allowed: true, reason: '' } }),
  };
  return { api, served };
}

/** Usage as Prometheus would answer it: every node's bytes, and one node's pods' bytes. */
export function fakeUsage(): UsageSource {
  return {
    async nodeUsage() {
      await nextTurn();
      return { ok: true, value: new Map(Array.from({ length: SIZE.nodes }, (_, i) => [nodeName(i), nodeUsed(i)] as const)) };
    },
    async podUsage(name: string) {
      await nextTurn();
      const n = nodeIndex(name);
      const value = new Map<string, number>();
      for (let i = n; n >= 0 && i < SIZE.pods; i += SIZE.nodes) {
        const p = podPlace(i);
        value.set(`${p.namespace}/${p.name}`, podRequest(i) * 0.9);
      }
      return { ok: true, value };
    },
  };
}
