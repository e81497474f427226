/**
 * The Kubernetes client against the real kube-apiserver: pagination, lists from the watch cache,
 * bodies read as JSON, every eviction outcome the contract names, dry-run, Events, optimistic
 * concurrency on the state ConfigMap, and 5xx answers retried then reported.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeApi } from '../../src/kube/types.ts';
import { startKubeCluster, type KubeCluster } from '../stack/kube-cluster.ts';
import { events, kubeApiFor, namespace, podStates, processedPdb, readyNode, replicaSet, runningPod } from './kube-fixtures.ts';
import { faultyProxy } from './kube-proxy.ts';

let cluster: KubeCluster;
let api: KubeApi;

before(async () => {
  cluster = await startKubeCluster();
  api = await kubeApiFor(cluster, { chunk: 2 });
  await namespace(cluster, 'kc');
  await readyNode(cluster, 'kc-n0');
  const rs = await replicaSet(cluster, 'kc', 'web', 5);
  for (const name of ['web-1', 'web-2', 'web-3', 'web-4', 'web-5']) await runningPod(cluster, 'kc', name, { node: 'kc-n0', app: 'web', rs });
  const guarded = await replicaSet(cluster, 'kc', 'guarded', 2);
  for (const name of ['guarded-1', 'guarded-2']) await runningPod(cluster, 'kc', name, { node: 'kc-n0', app: 'guarded', rs: guarded });
  await processedPdb(cluster, 'kc', 'guarded', 2, 2);
}, { timeout: 20 * 60_000 });

after(async () => {
  await cluster?.stop();
});

test('lists page through continue tokens; a fold sees every page once', async () => {
  const pods = await api.listPods({ fieldSelector: 'spec.nodeName=kc-n0' });
  assert.ok(pods.ok);
  assert.equal(pods.value.length, 7);
  const first = pods.value[0]?.['metadata'] as { creationTimestamp?: unknown };
  assert.equal(typeof first.creationTimestamp, 'string', 'times in JSON shape');
  let seen = 0;
  const fold = await api.foldPods({ namespace: 'kc' }, (items) => (seen += items.length));
  assert.deepEqual(fold.ok && fold.value, { items: 7, pages: 4 });
  assert.equal(seen, 7);
  const nodes: string[] = [];
  const folded = await api.foldNodes((items) => nodes.push(...items.map((n) => (n['metadata'] as { name: string }).name)));
  assert.ok(folded.ok && nodes.includes('kc-n0'));
});

test('a list from the watch cache (resourceVersion=0) answers the same pods, in JSON shape', async () => {
  const names = (items: ReadonlyArray<Record<string, unknown>>): string[] => items.map((p) => (p['metadata'] as { name: string }).name).sort();
  const consistent = await api.listPods({ fieldSelector: 'spec.nodeName=kc-n0' });
  const cached = await api.listPods({ fieldSelector: 'spec.nodeName=kc-n0', fromWatchCache: true });
  assert.ok(consistent.ok && cached.ok);
  assert.deepEqual(names(cached.value), names(consistent.value));
  assert.deepEqual(cached.value[0]?.['spec'], consistent.value.find((p) => (p['metadata'] as { name: string }).name === (cached.value[0]?.['metadata'] as { name: string }).name)?.['spec']);
});

test('eviction outcomes: 201 evicted, dry-run changes nothing, 429 PDB refused, 404 gone', async () => {
  assert.deepEqual(await api.evict({ namespace: 'kc', name: 'web-1' }, { dryRun: true }), { result: 'evicted', dryRun: true, attempts: 1 });
  assert.ok(!(await podStates(cluster, 'kc')).terminating.includes('web-1'), 'dry-run evicts nothing');
  assert.deepEqual(await api.evict({ namespace: 'kc', name: 'web-1' }, { dryRun: false }), { result: 'evicted', dryRun: false, attempts: 1 });
  assert.ok((await podStates(cluster, 'kc')).terminating.includes('web-1'));
  const refused = await api.evict({ namespace: 'kc', name: 'guarded-1' }, { dryRun: true });
  assert.equal(refused.result, 'pdb-refused');
  assert.match(refused.result === 'pdb-refused' ? refused.message : '', /disruption budget guarded needs 2 healthy pods/);
  assert.equal((await api.evict({ namespace: 'kc', name: 'nope' }, { dryRun: false })).result, 'gone');
});

test('Events land on the pod and on the node (namespace default)', async () => {
  assert.deepEqual(await api.createEvent({ involved: { kind: 'Pod', namespace: 'kc', name: 'web-2' }, reason: 'HeadroomSkipped', type: 'Normal', message: 'test', action: 'Skip' }), { ok: true, value: undefined });
  assert.ok((await api.createEvent({ involved: { kind: 'Node', name: 'kc-n0' }, reason: 'HeadroomSkipped', type: 'Warning', message: 'x'.repeat(5000), action: 'Skip' })).ok);
  assert.deepEqual(await events(cluster, 'kc'), ['HeadroomSkipped Pod/web-2']);
  assert.ok((await events(cluster, 'default')).includes('HeadroomSkipped Node/kc-n0'));
});

test('ConfigMap writes carry the resourceVersion: a stale one is a conflict', async () => {
  assert.deepEqual(await api.readConfigMap('kc', 'state'), { ok: true, value: null });
  const created = await api.writeConfigMap('kc', 'state', { a: '1' }, null);
  assert.ok(created.ok);
  const again = await api.writeConfigMap('kc', 'state', { a: '1' }, null);
  assert.equal(again.ok ? '' : again.failure.kind, 'conflict', 'create of an existing one');
  const updated = await api.writeConfigMap('kc', 'state', { a: '2' }, created.value.resourceVersion);
  assert.ok(updated.ok);
  const stale = await api.writeConfigMap('kc', 'state', { a: '3' }, created.value.resourceVersion);
  assert.equal(stale.ok ? '' : stale.failure.kind, 'conflict');
  const read = await api.readConfigMap('kc', 'state');
  assert.deepEqual(read.ok && read.value?.data, { a: '2' });
});

test('API server 5xx on evictions: retried with back-off, then reported; a transient one recovers', async () => {
  const down = await faultyProxy(cluster, Infinity);
  try {
    const viaProxy = await kubeApiFor(cluster, { server: down.url });
    const r = await viaProxy.evict({ namespace: 'kc', name: 'web-3' }, { dryRun: false });
    assert.deepEqual(r, { result: 'retryable', status: 503, message: 'server: the server is currently unable to handle the request', attempts: 4 });
    assert.equal(down.evictionsSeen(), 4);
    assert.ok((await viaProxy.foldNodes(() => undefined)).ok, 'everything else goes through');
  } finally {
    await down.close();
  }
  const blip = await faultyProxy(cluster, 2);
  try {
    const viaProxy = await kubeApiFor(cluster, { server: blip.url });
    assert.deepEqual(await viaProxy.evict({ namespace: 'kc', name: 'web-3' }, { dryRun: false }), { result: 'evicted', dryRun: false, attempts: 3 });
  } finally {
    await blip.close();
  }
});

test('a server that is not there is a retryable network failure, reported after the retries', async () => {
  const nowhere = await kubeApiFor(cluster, { server: 'http://127.0.0.1:9' });
  const r = await nowhere.foldNodes(() => undefined);
  assert.equal(r.ok ? '' : r.failure.kind, 'network');
  assert.equal((await nowhere.evict({ namespace: 'kc', name: 'web-4' }, { dryRun: false })).result, 'retryable');
});
