/**
 * The cluster a scenario runs on, written to the real API server and mirrored in the exporter:
 * Ready nodes (status through the status subresource), Deployments' ReplicaSets, Running pods
 * with their working set served as cAdvisor series, PDBs processed by the disruption controller.
 * The generic pieces come from the integration fixtures; what the scenarios need beyond them
 * (annotations, bare pods, other namespaces) is here.
 */
import assert from 'node:assert/strict';
import type { KubeCluster } from '../stack/kube-cluster.ts';
import type { TestExporter } from '../stack/exporter.ts';
import { create, namespace, processedPdb, readyNode, replicaSet } from '../integration/kube-fixtures.ts';

export { processedPdb };

/** Bytes in a GiB. */
export const GiB = 1024 ** 3;
/** Every test node has this much memory (capacity = allocatable = MemTotal). */
export const NODE_BYTES = 16 * GiB;

const merge = { contentType: 'application/merge-patch+json' };

/** A pod to create: owned by the ReplicaSet of Deployment `app` unless `bare`. */
export type PodSpec = {
  name: string;
  node: string;
  /** Working set served by the exporter, in GiB. */
  gib: number;
  app?: string;
  /** Memory request; null (default) makes the pod BestEffort. */
  request?: string | null;
  annotations?: Record<string, string>;
  /** No owner at all (a bare pod). */
  bare?: boolean;
};

/** Creates namespaces once and ReplicaSets once per app, and keeps the exporter in step. */
export class ClusterWriter {
  readonly #cluster: KubeCluster;
  readonly #exporter: TestExporter;
  readonly #namespaces = new Set<string>(['default', 'kube-system']);
  readonly #replicaSets = new Map<string, { metadata: { uid: string } }>();

  constructor(cluster: KubeCluster, exporter: TestExporter) {
    this.#cluster = cluster;
    this.#exporter = exporter;
  }

  /**
   * A Ready node of 16 GiB, with `usedGiB` in use according to node-exporter; null leaves it out
   * of node-exporter until `setNodeUsed` (its usage series then starts fresh).
   */
  async node(name: string, usedGiB: number | null): Promise<void> {
    await readyNode(this.#cluster, name, '16Gi');
    if (usedGiB !== null) this.setNodeUsed(name, usedGiB);
  }

  /** What node-exporter reports as used on `name` from the next scrape on. */
  setNodeUsed(name: string, usedGiB: number): void {
    this.#exporter.setNodeMemory(name, NODE_BYTES, Math.round(usedGiB * GiB));
  }

  async namespace(name: string): Promise<void> {
    if (this.#namespaces.has(name)) return;
    await namespace(this.#cluster, name);
    this.#namespaces.add(name);
  }

  /** The ReplicaSet of Deployment `app` in `ns` with `replicas` (created on first use). */
  async replicaSet(ns: string, app: string, replicas = 3): Promise<{ metadata: { uid: string } }> {
    const key = `${ns}/${app}`;
    let rs = this.#replicaSets.get(key);
    if (rs === undefined) {
      await this.namespace(ns);
      rs = await replicaSet(this.#cluster, ns, app, replicas);
      this.#replicaSets.set(key, rs);
    }
    return rs;
  }

  /** A Running, Ready pod started an hour ago, and its working set in the exporter. */
  async pod(ns: string, p: PodSpec): Promise<void> {
    await this.namespace(ns);
    const app = p.app ?? p.name.replace(/-\d+$/, '');
    const owner = p.bare ? [] : [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-rs`, uid: (await this.replicaSet(ns, app)).metadata.uid, controller: true }];
    const resources = p.request === undefined || p.request === null ? {} : { requests: { memory: p.request } };
    await create(this.#cluster, `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, labels: { app }, annotations: p.annotations ?? {}, ownerReferences: owner },
      spec: { nodeName: p.node, containers: [{ name: 'app', image: 'example.invalid/app:1', resources }] },
    });
    const status = { status: { phase: 'Running', startTime: new Date(Date.now() - 3600_000).toISOString(), conditions: [{ type: 'Ready', status: 'True' }] } };
    const r = await this.#cluster.request('PATCH', `/api/v1/namespaces/${ns}/pods/${p.name}/status`, status, merge);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    this.setPodUsed(ns, p.name, p.node, p.gib);
  }

  /** The working set cAdvisor reports for a pod from the next scrape on. */
  setPodUsed(ns: string, name: string, node: string, gib: number): void {
    this.#exporter.setPodMemory(ns, name, node, Math.round(gib * GiB));
  }
}

type PodItem = { metadata: { name: string; deletionTimestamp?: string } };
type EventItem = { reason: string; message: string; involvedObject: { kind: string; name: string; namespace?: string }; eventTime?: string | null; firstTimestamp?: string | null; metadata: { creationTimestamp: string } };

/** Pods of `ns` that are being evicted (deletionTimestamp set: no kubelet finishes them) and alive. */
export async function podStates(cluster: KubeCluster, ns: string): Promise<{ evicted: string[]; alive: string[] }> {
  const r = await cluster.request<{ items: PodItem[] }>('GET', `/api/v1/namespaces/${ns}/pods`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const items = r.body.items;
  const names = (f: (p: PodItem) => boolean) => items.filter(f).map((p) => p.metadata.name).sort();
  return { evicted: names((p) => p.metadata.deletionTimestamp !== undefined), alive: names((p) => p.metadata.deletionTimestamp === undefined) };
}

/** Events in `ns` (pods' Events live in their namespace, nodes' in `default`), optionally about one object. */
export async function eventsIn(cluster: KubeCluster, ns: string, name?: string): Promise<EventItem[]> {
  const r = await cluster.request<{ items: EventItem[] }>('GET', `/api/v1/namespaces/${ns}/events`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.filter((e) => name === undefined || e.involvedObject.name === name);
}

/** Events as `Reason Kind/name`, sorted: what `kubectl get events` would show, compactly. */
export async function eventSummary(cluster: KubeCluster, ns: string, name?: string): Promise<string[]> {
  return (await eventsIn(cluster, ns, name)).map((e) => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
}
