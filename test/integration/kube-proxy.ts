/**
 * A loopback proxy in front of the test API server that answers 503 to eviction requests, so the
 * tests can prove "API server 5xx -> retried, then reported" against everything else real.
 */
import { readFile } from 'node:fs/promises';
import type { KubeCluster } from '../stack/kube-cluster.ts';
import { startRecordingProxy } from '../stack/recording-proxy.ts';

/** The proxy: `url` to point a client at, how many evictions it has failed, and `close`. */
export type FaultyProxy = { url: string; evictionsSeen: () => number; failed: () => number; close: () => Promise<void> };

const isEviction = (method: string | undefined, path: string | undefined): boolean => method === 'POST' && /\/pods\/[^/]+\/eviction(\?|$)/.test(path ?? '');

/** Fails the first `failures` eviction requests (Infinity: all) with a 503 Status; forwards the rest. */
export async function faultyProxy(cluster: KubeCluster, failures: number): Promise<FaultyProxy> {
  let failed = 0;
  const proxy = await startRecordingProxy(cluster.url, {
    ca: await readFile(cluster.caFile),
    intercept: (req, res) => {
      if (!isEviction(req.method, req.url) || failed >= failures) return null;
      failed += 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server is currently unable to handle the request', reason: 'ServiceUnavailable', code: 503 }));
      return 503;
    },
  });
  return {
    url: proxy.url,
    evictionsSeen: () => proxy.hops().filter((h) => isEviction(h.method, h.path)).length,
    failed: () => failed,
    close: () => proxy.close(),
  };
}
