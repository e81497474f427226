/**
 * Every node's summed memory requests, for placement (S2.2), without holding the cluster's pods:
 * `listPodForAllNamespaces` in pages of 500 (S4.4), each page folded into one number per node and
 * dropped. Peak memory is one page plus a map of node names, whatever the cluster's size.
 *
 * Why not kube-state-metrics through Prometheus? It is not always installed, its
 * `kube_pod_container_resource_requests` sums containers (no init containers, sidecars, pod
 * overhead or pod-level resources, which the scheduler counts), and a terminated pod keeps its
 * series until the next scrape. The API server is the scheduler's own truth; with the result
 * cached for `cache.pod_cache_ttl` the cost is one paged list every two minutes at most.
 *
 * Measured (test/integration/kube-gather-scale.test.ts, real kube-apiserver, 2 cores): 5,000
 * pods in 10 pages fold in ~0.7-0.9 s and retain <1 MiB; holding the same list retains ~23 MiB
 * (~4.6 KiB per pod: ~230 MiB at 50,000 pods). The fold is linear, ~9 s at 50,000 pods, so the
 * gatherer serves the previous sums while it refreshes them in the background.
 */
import { ShapeError } from './read.ts';
import { podBasics } from './pod.ts';
import { onceMoreIfExpired } from '../kube/lists.ts';
import type { KubeApi, KubeFailure } from '../kube/types.ts';

/** Pods that hold requests: the scheduler frees those of Succeeded and Failed pods. */
export const NON_TERMINAL = 'status.phase!=Succeeded,status.phase!=Failed';

/** Requested bytes per node, and how much work it took. */
export type RequestSums = Readonly<{ byNode: ReadonlyMap<string, number>; pods: number; pages: number; unreadable: number }>;

/**
 * Folds every non-terminal, bound pod into its node's sum. A pod the readers reject (never seen
 * from a real API server) is counted in `unreadable` and left out rather than failing the fold.
 * An expired continue token restarts the fold once from zero.
 */
export function sumRequestsByNode(api: KubeApi, signal?: AbortSignal): Promise<{ ok: true; value: RequestSums } | { ok: false; failure: KubeFailure }> {
  return onceMoreIfExpired(async (): Promise<{ ok: true; value: RequestSums } | { ok: false; failure: KubeFailure }> => {
    const byNode = new Map<string, number>();
    let unreadable = 0;
    const r = await api.foldPods(
      { fieldSelector: NON_TERMINAL },
      (items) => {
        for (const item of items) {
          try {
            const pod = podBasics(item, 'pod');
            if (pod.nodeName === null || pod.terminal) continue;
            byNode.set(pod.nodeName, (byNode.get(pod.nodeName) ?? 0) + pod.requestBytes);
          } catch (err) {
            if (!(err instanceof ShapeError)) throw err;
            unreadable += 1;
          }
        }
      },
      signal,
    );
    return r.ok ? { ok: true, value: { byNode, pods: r.value.items, pages: r.value.pages, unreadable } } : r;
  });
}
