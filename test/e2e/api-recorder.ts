/**
 * A loopback proxy in front of the test API server that forwards everything unchanged and
 * records when each eviction request arrived and when its answer left: the benchmark's view of
 * "the eviction call" without relying on headroom's own log. Loopback adds well under a
 * millisecond per call.
 */
import { readFile } from 'node:fs/promises';
import type { KubeCluster } from '../stack/kube-cluster.ts';
import { startRecordingProxy, type Hop } from '../stack/recording-proxy.ts';

/** One eviction request as the proxy saw it; times are epoch milliseconds (fractional). */
export type RecordedEviction = { namespace: string; pod: string; startMs: number; endMs: number; status: number };

/** Any request as the proxy saw it. */
export type RecordedRequest = { method: string; path: string; startMs: number; endMs: number; status: number };

/** The running proxy. */
export type ApiRecorder = { url: string; evictions(): RecordedEviction[]; requests(): RecordedRequest[]; close(): Promise<void> };

const EVICTION = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction(?:\?|$)/;

/** Requests whose answer has been sent, in arrival order. */
function completed(hops: readonly Hop[]): RecordedRequest[] {
  return hops.flatMap((h) => (h.endMs === null || h.status === null ? [] : [{ method: h.method, path: h.path, startMs: h.startMs, endMs: h.endMs, status: h.status }]));
}

/** Starts the proxy on 127.0.0.1. */
export async function startApiRecorder(cluster: KubeCluster): Promise<ApiRecorder> {
  const proxy = await startRecordingProxy(cluster.url, { ca: await readFile(cluster.caFile) });
  return {
    url: proxy.url,
    requests: () => completed(proxy.hops()),
    evictions: () =>
      completed(proxy.hops()).flatMap((r) => {
        const m = r.method === 'POST' ? EVICTION.exec(r.path) : null;
        return m ? [{ namespace: decodeURIComponent(m[1] ?? ''), pod: decodeURIComponent(m[2] ?? ''), startMs: r.startMs, endMs: r.endMs, status: r.status }] : [];
      }),
    close: () => proxy.close(),
  };
}
