/**
 * The round trips bench:decision samples between alerts: the two no decision can avoid (the
 * per-pod usage query headroom runs, through the src/prometheus client, and a dry-run eviction
 * through the src/kube client), each straight to its server and through the recording proxies;
 * and the list of one node's pods three ways (the src/kube client as headroom lists it, the same
 * request as a plain keep-alive HTTPS GET, and that GET with `resourceVersion=0`, answered from
 * the API server's watch cache), which tells client cost from server cost.
 */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import type { KubeApi, PodRef } from '../src/kube/types.ts';
import type { PrometheusClient } from '../src/prometheus/client.ts';
import { combined, podUsagePair } from '../src/prometheus/queries.ts';
import type { KubeCluster } from '../test/stack/kube-cluster.ts';

/** What is sampled, in the order the tables print it. */
export const TRIPS = ['prom', 'evict', 'promProxied', 'evictProxied', 'podsClient', 'podsRaw', 'podsCache'] as const;
/** One sampled round trip. */
export type Trip = (typeof TRIPS)[number];

/** Clients to sample with. */
export type SampleClients = { prom: PrometheusClient; promProxied: PrometheusClient; kube: KubeApi; kubeProxied: KubeApi };

/** Takes one sample of each trip for `node` (a dry-run eviction of `spare`); milliseconds. */
export type Sampler = (node: string) => Promise<Record<Trip, number>>;

/** A GET over one keep-alive TLS connection with the admin token; resolves with the status. */
async function plainGetter(cluster: KubeCluster): Promise<(path: string) => Promise<number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: await readFile(cluster.caFile) });
  const url = new URL(cluster.url);
  return (path) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, agent, headers: { authorization: `Bearer ${cluster.adminToken}`, accept: 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

async function timed(what: string, fn: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  const ok = await fn();
  const t = performance.now() - t0;
  if (!ok) throw new Error(`${what} failed`);
  return t;
}

/** Builds the sampler. */
export async function sampler(cluster: KubeCluster, c: SampleClients, spare: PodRef): Promise<Sampler> {
  const get = await plainGetter(cluster);
  const query = (client: PrometheusClient, node: string) => async () => {
    const r = await client.query(combined(podUsagePair(undefined, node)));
    return r.ok && r.resultType === 'vector' && r.samples.length > 0;
  };
  const evict = (api: KubeApi) => async () => (await api.evict(spare, { dryRun: true })).result === 'evicted';
  return async (node) => {
    const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`;
    return {
      prom: await timed('Prometheus query', query(c.prom, node)),
      evict: await timed('dry-run eviction', evict(c.kube)),
      evictProxied: await timed('dry-run eviction via the proxy', evict(c.kubeProxied)),
      promProxied: await timed('Prometheus query via the proxy', query(c.promProxied, node)),
      podsClient: await timed("list of the node's pods", async () => (await c.kube.listPods({ fieldSelector: `spec.nodeName=${node}` })).ok),
      podsRaw: await timed("plain GET of the node's pods", async () => (await get(`/api/v1/pods?${selector}&limit=500`)) === 200),
      podsCache: await timed("plain GET of the node's pods, resourceVersion=0", async () => (await get(`/api/v1/pods?${selector}&limit=500&resourceVersion=0`)) === 200),
    };
  };
}
