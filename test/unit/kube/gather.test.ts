import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FactsGatherer } from '../../../src/facts/gather.ts';
import { FakeKubeApi, failure } from './fake-api.ts';
import { FakeUsage } from './fake-usage.ts';
import { GiB, rawNode, rawPdb, rawPod, rawReplicaSet } from './objects.ts';

function cluster() {
  const api = new FakeKubeApi();
  api.nodes = [rawNode('n0'), rawNode('n1'), rawNode('n2')];
  api.pods = [
    rawPod('web-1', { node: 'n0', app: 'web', rs: 'web-abc', request: '1Gi' }),
    rawPod('db-0', { node: 'n0', app: 'db', ss: 'db', request: '2Gi' }),
    rawPod('done', { node: 'n0', phase: 'Succeeded', request: '8Gi' }),
    rawPod('web-2', { node: 'n1', app: 'web', rs: 'web-abc', request: '1Gi' }),
    rawPod('api-1', { node: 'n1', app: 'api', request: '3Gi' }),
    rawPod('old', { node: 'n2', phase: 'Failed', request: '8Gi' }),
  ];
  api.replicaSets = [rawReplicaSet('web-abc', 'web', 4)];
  api.statefulSets = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 3 } }];
  api.pdbs = [rawPdb('web', 'web', 0)];
  const usage = new FakeUsage();
  usage.nodes = new Map([['n0', 15 * GiB], ['n1', 4 * GiB]]);
  usage.pods = new Map([['shop/web-1', 2 * GiB], ['shop/db-0', 3 * GiB]]);
  let t = 0;
  const clock = { advance: (s: number) => (t += s * 1000), nowMs: () => t };
  const g = new FactsGatherer({ api, usage, nodeCacheSeconds: 60, podCacheSeconds: 120, nowMs: clock.nowMs });
  return { api, usage, g, clock };
}

test('facts of a node: pods with usage, owners resolved, requests summed per node, PDBs', async () => {
  const { g } = cluster();
  const r = await g.gather('n0');
  assert.ok(r.ok, JSON.stringify(r));
  const f = r.facts;
  assert.equal(f.node.usedBytes, 15 * GiB);
  assert.equal(f.node.requestedBytes, 3 * GiB, 'terminal pods hold no requests');
  assert.deepEqual(f.pods.map((p) => [p.name, p.workload, p.replicas, p.usageBytes]).sort(), [
    ['db-0', 'shop/StatefulSet/db', 3, 3 * GiB],
    ['done', 'shop/ReplicaSet/done-rs', null, 0],
    ['web-1', 'shop/Deployment/web', 4, 2 * GiB],
  ]);
  const others = Object.fromEntries(f.otherNodes.map((n) => [n.name, [n.requestedBytes, n.usedBytes]]));
  assert.deepEqual(others, { n1: [4 * GiB, 4 * GiB], n2: [0, 16 * GiB] }, 'n2 has no usage sample: counted as full');
  assert.deepEqual(f.pdbs.map((p) => [p.name, p.disruptionsAllowed]), [['web', 0]]);
  assert.equal(r.uids.get('shop/web-1'), 'uid-shop-web-1');
  assert.equal(r.uids.get('n0'), 'uid-n0');
});

test('caches: a second gather spares the API server; TTLs expire; invalidate drops pods, PDBs and sums', async () => {
  const { api, g, clock, usage } = cluster();
  await g.gather('n0');
  const first = api.calls.length;
  await g.gather('n0');
  assert.equal(api.calls.length, first, 'all cached');
  assert.equal(usage.queries.filter((q) => q === 'nodes').length, 2, 'usage is never cached');
  clock.advance(61);
  await g.gather('n0');
  assert.deepEqual(api.calls.slice(first), ['foldNodes', 'listPdbs'], 'node TTL 60 s: nodes and PDBs');
  const before = api.calls.length;
  g.invalidate('n0');
  assert.deepEqual(api.calls.slice(before).sort(), ['foldPods status.phase!=Succeeded,status.phase!=Failed', 'listPdbs'], 'PDBs and sums re-read at once, in the background');
  await g.gather('n0');
  assert.deepEqual(api.calls.slice(before).sort(), ['foldPods status.phase!=Succeeded,status.phase!=Failed', 'listPdbs', 'listPods spec.nodeName=n0'], 'the next gather joins those reads and lists the pods again');
});

test('usage passed in is reused, not read again', async () => {
  const { g, usage } = cluster();
  const r = await g.gather('n0', { nodeUsage: new Map([['n0', 14 * GiB]]) });
  assert.ok(r.ok);
  assert.equal(r.facts.node.usedBytes, 14 * GiB);
  assert.deepEqual(usage.queries, ['pods n0']);
});

test('failures are values: unknown node, stale usage, no sample, API errors', async () => {
  const { g, usage, api } = cluster();
  assert.equal((await g.gather('nope')).ok ? '' : 'unknown-node', 'unknown-node');
  const missing = await g.gather('n2');
  assert.deepEqual(missing.ok ? null : [missing.error, missing.ok || missing.error !== 'usage' ? '' : missing.failure.kind], ['usage', 'missing']);
  usage.failure = { kind: 'stale', message: 'newest sample is 300 s old' };
  const stale = await g.gather('n0');
  assert.match(stale.ok ? '' : stale.message, /300 s old/);
  usage.failure = null;
  const fresh = cluster();
  fresh.api.failNext.set('foldNodes', [failure('server', 503, true)]);
  const down = await fresh.g.gather('n0');
  assert.equal(down.ok ? '' : down.error, 'kube');
  assert.ok(api.calls.length > 0);
});

test('an expired continue token restarts the sum once from zero', async () => {
  const { api, g } = cluster();
  api.failNext.set('foldPods', [failure('expired', 410)]);
  const r = await g.gather('n0');
  assert.ok(r.ok);
  assert.equal(r.facts.otherNodes.find((n) => n.name === 'n1')?.requestedBytes, 4 * GiB);
});

test('request sums: single flight for concurrent gathers, served stale while a refresh runs', async () => {
  const { api, g, clock } = cluster();
  await Promise.all([g.gather('n0'), g.gather('n1'), g.gather('n0')]);
  assert.equal(api.calls.filter((c) => c.startsWith('foldPods')).length, 1);
  api.pods.push(rawPod('big', { node: 'n1', request: '5Gi' }));
  clock.advance(121);
  const stale = await g.gather('n0');
  assert.ok(stale.ok);
  assert.equal(stale.facts.otherNodes.find((n) => n.name === 'n1')?.requestedBytes, 4 * GiB, 'stale sums at once');
  await new Promise((r) => setImmediate(r));
  const fresh = await g.gather('n0');
  assert.ok(fresh.ok);
  assert.equal(fresh.facts.otherNodes.find((n) => n.name === 'n1')?.requestedBytes, 9 * GiB, 'refreshed in the background');
  clock.advance(241);
  assert.equal(api.calls.filter((c) => c.startsWith('foldPods')).length, 2);
  await g.gather('n0');
  assert.equal(api.calls.filter((c) => c.startsWith('foldPods')).length, 3, 'too old to serve: waited for');
});
