/**
 * Fixtures for the integration tests against the real kube-apiserver: Ready nodes, Running pods
 * (status written through the status subresource, as envtest-style tests must), ReplicaSets, PDBs
 * whose status comes from the real disruption controller, and a `KubeApi` for a token.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from '../../src/kube/connect.ts';
import { createKubeApi, type KubeApiOptions } from '../../src/kube/client.ts';
import type { KubeApi } from '../../src/kube/types.ts';
import type { KubeCluster } from '../stack/kube-cluster.ts';

const merge = { contentType: 'application/merge-patch+json' };
type Meta = { metadata: { uid: string; generation?: number; resourceVersion?: string } };

/** Fast retries, so a test of "retried then reported" takes milliseconds per attempt. */
export const FAST_RETRY = { attempts: 4, baseMs: 20, maxMs: 100, random: () => 0.5 };

/** A `KubeApi` talking to `server` (default: the cluster) with `token` (default: admin). */
export async function kubeApiFor(cluster: KubeCluster, o: { token?: string; server?: string } & KubeApiOptions = {}): Promise<KubeApi> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-kc-'));
  const path = join(dir, 'kubeconfig');
  let text = cluster.kubeconfigFor(o.token ?? cluster.adminToken, 'headroom');
  if (o.server !== undefined) text = text.replace(`server: ${cluster.url}`, `server: ${o.server}`).replace(/ {4}certificate-authority: .*\n/, '    insecure-skip-tls-verify: true\n');
  await writeFile(path, text, { mode: 0o600 });
  const loaded = loadKubeConfig({ kubeconfig: path }, {});
  if (!loaded.ok) throw new Error(loaded.message);
  return createKubeApi(loaded.kc, { retry: FAST_RETRY, ...o });
}

/** POSTs `body` to `path` and fails the test unless 201. */
export async function create<T = Meta>(cluster: KubeCluster, path: string, body: unknown): Promise<T> {
  const r = await cluster.request<T>('POST', path, body);
  assert.equal(r.status, 201, `POST ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A namespace for one test. */
export async function namespace(cluster: KubeCluster, name: string): Promise<void> {
  await create(cluster, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** A Ready, untainted node with `memory` capacity. */
export async function readyNode(cluster: KubeCluster, name: string, memory = '16Gi'): Promise<void> {
  await create(cluster, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  // The API server taints new nodes not-ready; without a node controller the test lifts it.
  const spec = await cluster.request('PATCH', `/api/v1/nodes/${name}`, { spec: { taints: null } }, merge);
  assert.equal(spec.status, 200, JSON.stringify(spec.body));
  const status = { status: { capacity: { memory, cpu: '8', pods: '110' }, allocatable: { memory, cpu: '8', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test' }] } };
  const st = await cluster.request('PATCH', `/api/v1/nodes/${name}/status`, status, merge);
  assert.equal(st.status, 200, JSON.stringify(st.body));
}

/** A ReplicaSet owned by Deployment `app` (no controller runs, so it creates no pods). */
export async function replicaSet(cluster: KubeCluster, ns: string, app: string, replicas: number): Promise<Meta> {
  return create(cluster, `/apis/apps/v1/namespaces/${ns}/replicasets`, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${app}-rs`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: '00000000-0000-0000-0000-00000000d0d0', controller: true }] },
    spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'example.invalid/app:1' }] } } },
  });
}

/** A Running, Ready pod of `rs` on `node`; `request` null makes it BestEffort. */
export async function runningPod(cluster: KubeCluster, ns: string, name: string, o: { node: string; app: string; rs: Meta; request?: string | null }): Promise<void> {
  const resources = o.request === null ? {} : { requests: { memory: o.request ?? '512Mi' } };
  await create(cluster, `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: o.app }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${o.app}-rs`, uid: o.rs.metadata.uid, controller: true }] },
    spec: { nodeName: o.node, containers: [{ name: 'c', image: 'example.invalid/app:1', resources }] },
  });
  const status = { status: { phase: 'Running', startTime: new Date(Date.now() - 3600_000).toISOString(), conditions: [{ type: 'Ready', status: 'True' }] } };
  const r = await cluster.request('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, status, merge);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

type PdbBody = Meta & { status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number } };

/** A PDB `minAvailable` on `app`, returned once the disruption controller has processed it. */
export async function processedPdb(cluster: KubeCluster, ns: string, app: string, minAvailable: number, healthy: number): Promise<PdbBody> {
  const path = `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`;
  await create(cluster, path, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: app }, spec: { minAvailable, selector: { matchLabels: { app } } } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pdb = (await cluster.request<PdbBody>('GET', `${path}/${app}`)).body;
    if (pdb.status?.observedGeneration === pdb.metadata.generation && pdb.status?.currentHealthy === healthy) return pdb;
    assert.ok(Date.now() < deadline, `PDB ${ns}/${app} not processed: ${JSON.stringify(pdb.status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Names of the pods of `ns` that are being deleted (evicted) and of those still there. */
export async function podStates(cluster: KubeCluster, ns: string): Promise<{ terminating: string[]; alive: string[] }> {
  const r = await cluster.request<{ items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }>('GET', `/api/v1/namespaces/${ns}/pods`);
  const items = r.body.items;
  return { terminating: items.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort(), alive: items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort() };
}

/** Events of `ns` as `reason kind/name`. */
export async function events(cluster: KubeCluster, ns: string): Promise<string[]> {
  const r = await cluster.request<{ items: Array<{ reason: string; involvedObject: { kind: string; name: string } }> }>('GET', `/api/v1/namespaces/${ns}/events`);
  return r.body.items.map((e) => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
}
