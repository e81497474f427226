/**
 * Smoke test of the real control plane: the disruption controller fills in PDB
 * status, and the Eviction API answers 429 when the PDB forbids and 201 otherwise.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubeCluster } from './kube-cluster.ts';
import type { KubeCluster } from './kube-cluster.ts';

interface Meta { name: string; generation?: number; deletionTimestamp?: string }
interface Pdb {
  metadata: Meta;
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; expectedPods?: number };
}
interface Version { gitVersion: string }

const ns = '/api/v1/namespaces/default';
let cluster: KubeCluster;

before(async () => {
  const t0 = Date.now();
  cluster = await startKubeCluster({
    extraTokens: [{ token: 'viewer-token', user: 'viewer', uid: 'viewer', groups: ['viewers'] }],
  });
  console.error(`# kube cluster ready in ${Date.now() - t0} ms at ${cluster.url}`);
}, { timeout: 20 * 60_000 }); // a cold build of the binaries takes minutes

after(async () => { await cluster?.stop(); });

/** Creates a pod bound to node-a and marks it Running and Ready via the status subresource. */
async function runningPod(name: string, app: string): Promise<void> {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app } },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'example.invalid/none:1' }] },
  };
  assert.equal((await cluster.request('POST', `${ns}/pods`, pod)).status, 201);
  const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
  const res = await cluster.request('PATCH', `${ns}/pods/${name}/status`, status,
    { contentType: 'application/merge-patch+json' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

function eviction(name: string): object {
  return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } };
}

test('serves the pinned version and enforces RBAC on token users', async () => {
  const v = await cluster.request<Version>('GET', '/version');
  assert.equal(v.status, 200);
  assert.match(v.body.gitVersion, /^v1\.\d+\.\d+$/);
  assert.equal((await cluster.request('GET', `${ns}/pods`, undefined, { token: 'viewer-token' })).status, 403);
  assert.equal((await cluster.request('GET', `${ns}/pods`, undefined, { token: 'wrong' })).status, 401);
  assert.match(cluster.kubeconfigFor('x'), /certificate-authority: /);
});

test('a PDB processed by the disruption controller blocks eviction; dry-run eviction of a free pod succeeds', async () => {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } };
  assert.equal((await cluster.request('POST', '/api/v1/nodes', node)).status, 201);
  await runningPod('guarded-1', 'guarded');
  await runningPod('guarded-2', 'guarded');
  await runningPod('free-1', 'free');

  const pdb = {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
    metadata: { name: 'guard' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'guarded' } } },
  };
  const pdbPath = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
  assert.equal((await cluster.request('POST', pdbPath, pdb)).status, 201);

  let seen: Pdb | undefined;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    seen = (await cluster.request<Pdb>('GET', `${pdbPath}/guard`)).body;
    if (seen.status?.observedGeneration === seen.metadata.generation && seen.status?.currentHealthy === 2) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(seen?.status?.observedGeneration, seen?.metadata.generation, JSON.stringify(seen));
  assert.equal(seen?.status?.disruptionsAllowed, 0);
  assert.equal(seen?.status?.expectedPods, 2);

  const blocked = await cluster.request('POST', `${ns}/pods/guarded-1/eviction`, eviction('guarded-1'));
  assert.equal(blocked.status, 429, JSON.stringify(blocked.body));

  const dry = await cluster.request('POST', `${ns}/pods/free-1/eviction?dryRun=All`, eviction('free-1'));
  assert.equal(dry.status, 201, JSON.stringify(dry.body));
  const still = await cluster.request<{ metadata: Meta }>('GET', `${ns}/pods/free-1`);
  assert.equal(still.status, 200);
  assert.equal(still.body.metadata.deletionTimestamp, undefined);
});
