/**
 * The whole live path against the real kube-apiserver and disruption controller: facts from the
 * API, the planner, the Eviction API (enforce and dry-run), limits in a ConfigMap across
 * restarts, the hourly budget, and an API server answering 5xx.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveConfig } from '../../src/config/load.ts';
import { loadKubeConfig } from '../../src/kube/connect.ts';
import type { KubeApi } from '../../src/kube/types.ts';
import { buildLive } from '../../src/live/build.ts';
import { formatOnceTable, runOnce } from '../../src/live/once.ts';
import { startKubeCluster, type KubeCluster } from '../stack/kube-cluster.ts';
import { counter, GiB, metrics, recordingLogger } from '../unit/act/helpers.ts';
import { alert, scene } from './act-scene.ts';
import { events, kubeApiFor, podStates, readyNode, replicaSet, runningPod } from './kube-fixtures.ts';
import { faultyProxy } from './kube-proxy.ts';

let cluster: KubeCluster;
let api: KubeApi;
const signal = new AbortController().signal;

before(async () => {
  cluster = await startKubeCluster();
  api = await kubeApiFor(cluster);
}, { timeout: 20 * 60_000 });

after(async () => {
  await cluster?.stop();
});

test('a PDB at zero allowed disruptions: that pod is skipped, the next ones evicted', async () => {
  const s = await scene(cluster, api, 'pdb');
  const r = await s.evaluator().evaluate(alert(s.node), signal);
  assert.equal(r.result, 'evicted', r.reason);
  assert.deepEqual(r.evicted.map((p) => p.name).sort(), ['api-1', 'web-1']);
  assert.deepEqual(await podStates(cluster, 'pdb'), { terminating: ['api-1', 'web-1'], alive: ['guarded-1', 'guarded-2'] });
  assert.deepEqual(await events(cluster, 'pdb'), ['HeadroomEviction Pod/api-1', 'HeadroomEviction Pod/web-1']);
});

test('the API server refuses (429) a pod the planner did not hold back: skipped, next evicted', async () => {
  const s = await scene(cluster, api, 'refuse', { protection: { respect_pdb: false } });
  const r = await s.evaluator().evaluate(alert(s.node), signal);
  assert.equal(r.result, 'evicted', r.reason);
  assert.match(r.reason ?? '', /also 1 pdb-refused/);
  assert.deepEqual((await podStates(cluster, 'refuse')).terminating, ['api-1', 'web-1']);
  assert.equal(await counter(s.metrics, { mode: 'enforce', result: 'pdb-refused' }), 1);
  assert.equal(await counter(s.metrics, { mode: 'enforce', result: 'evicted' }), 2);
  assert.ok((await events(cluster, 'refuse')).includes('HeadroomSkipped Pod/guarded-1'));
  const skipped = s.lines.find((l) => l.event === 'eviction-skipped' && l.pod === 'guarded-1');
  assert.equal(skipped?.result, 'pdb-refused');
});

test('dry-run evicts nothing but reports what would happen', async () => {
  const s = await scene(cluster, api, 'dry', { mode: 'dry-run' });
  const r = await s.evaluator().evaluate(alert(s.node), signal);
  assert.equal(r.result, 'evicted');
  assert.match(r.reason ?? '', /^dry-run: the API server would evict dry\/(web|api)-1, dry\/(web|api)-1 \(nothing was evicted\)/);
  assert.deepEqual((await podStates(cluster, 'dry')).terminating, []);
  assert.equal(await counter(s.metrics, { mode: 'dry-run', result: 'evicted' }), 2);
  assert.deepEqual(await events(cluster, 'dry'), ['HeadroomEviction Pod/api-1', 'HeadroomEviction Pod/web-1']);
});

test('the same node evaluated 5 times quickly and twice after a restart: one eviction round', async () => {
  const s = await scene(cluster, api, 'repeat');
  const first = s.evaluator();
  const five = await Promise.all([1, 2, 3, 4, 5].map(() => first.evaluate(alert(s.node), signal)));
  assert.deepEqual(five.map((r) => r.result), ['evicted', 'skipped', 'skipped', 'skipped', 'skipped']);
  const restarted = s.evaluator();
  assert.deepEqual(await restarted.init(), { ok: true });
  assert.equal(restarted.inCooldown(s.node, new Date()), true, 'the restarted process sees the stored cooldown');
  const two = [await restarted.evaluate(alert(s.node), signal), await restarted.evaluate(alert(s.node), signal)];
  assert.deepEqual(two.map((r) => r.result), ['skipped', 'skipped']);
  assert.match(two[0]?.reason ?? '', /cooldown for another \d+ s/);
  assert.equal((await podStates(cluster, 'repeat')).terminating.length, 2);
  assert.equal(await counter(s.metrics, { mode: 'enforce', result: 'evicted' }), 2);
});

test('the hourly budget stops evictions and says so', async () => {
  const s = await scene(cluster, api, 'budget', { eviction: { max_evictions_per_hour: 3 } });
  const ev = s.evaluator();
  assert.equal((await ev.evaluate(alert(s.node), signal)).evicted.length, 2);
  // A second hot node with two pods: only one eviction is left in the hour.
  const rs = await replicaSet(cluster, 'budget', 'batch', 3);
  for (const name of ['batch-1', 'batch-2']) await runningPod(cluster, 'budget', name, { node: 'budget-n2', app: name === 'batch-1' ? 'batch' : 'other', rs });
  s.usage.nodes.set('budget-n2', 15 * GiB);
  for (const name of ['batch-1', 'batch-2']) s.usage.pods.set(`budget/${name}`, 1.5 * GiB);
  const second = await ev.evaluate(alert('budget-n2'), signal);
  assert.equal(second.evicted.length, 1, second.reason);
  assert.match(second.reason ?? '', /budget: hourly eviction budget reached/);
  await readyNode(cluster, 'budget-n4');
  s.usage.nodes.set('budget-n4', 15 * GiB);
  const third = await s.evaluator().evaluate(alert('budget-n4'), signal);
  assert.deepEqual([third.result, third.reason], ['skipped', 'hourly eviction budget reached: 3 of 3 evictions in the last hour (eviction.max_evictions_per_hour)']);
  assert.ok((await events(cluster, 'default')).includes('HeadroomSkipped Node/budget-n4'));
});

test('API server 5xx on evictions: retried, then reported, nothing evicted', async () => {
  const s = await scene(cluster, api, 'down');
  const proxy = await faultyProxy(cluster, Infinity);
  try {
    const r = await s.evaluator({ api: await kubeApiFor(cluster, { server: proxy.url }) }).evaluate(alert(s.node), signal);
    assert.equal(r.result, 'failed');
    assert.match(r.reason ?? '', /API server failing after 4 attempts: server: the server is currently unable/);
    assert.equal(proxy.evictionsSeen(), 4, 'one pod, four attempts, then the round stops');
  } finally {
    await proxy.close();
  }
  assert.deepEqual((await podStates(cluster, 'down')).terminating, []);
  assert.equal(await counter(s.metrics, { mode: 'enforce', result: 'failed' }), 1);
  assert.ok((await events(cluster, 'default')).includes('HeadroomSkipped Node/down-n0'));
});

test('stale metrics: no eviction, the reason logged, the claim given back', async () => {
  const s = await scene(cluster, api, 'stale');
  s.usage.failure = { kind: 'stale', message: 'newest sample is 310 s old (max 120 s)' };
  const r = await s.evaluator().evaluate(alert(s.node), signal);
  assert.deepEqual([r.result, r.reason], ['skipped', 'metrics stale: newest sample is 310 s old (max 120 s)']);
  assert.deepEqual((await podStates(cluster, 'stale')).terminating, []);
  assert.ok(s.lines.some((l) => l.event === 'eviction-skipped' && String(l.reason).includes('310 s old')));
  // The claim written beside the usage read was given back in the stored limits.
  const stored = await cluster.request<{ data?: Record<string, string> }>('GET', '/api/v1/namespaces/stale/configmaps/headroom-state');
  assert.equal(stored.status, 200);
  const state = JSON.parse(stored.body.data?.['enforce.json'] ?? '{}') as { nodes: Record<string, string>; claims: unknown[] };
  assert.deepEqual([state.nodes, state.claims], [{}, []]);
  s.usage.failure = null;
  const next = await s.evaluator().evaluate(alert(s.node), signal);
  assert.equal(next.result, 'evicted', `a restarted headroom acts at once: ${next.reason ?? ''}`);
});

test('buildLive + runOnce --dry-run over the real cluster: a table of what would happen', async () => {
  const s = await scene(cluster, api, 'once');
  const dir = await mkdtemp(join(tmpdir(), 'headroom-once-'));
  await writeFile(join(dir, 'kubeconfig'), cluster.kubeconfigFor(cluster.adminToken, 'admin'));
  const kube = loadKubeConfig({ kubeconfig: join(dir, 'kubeconfig') }, {});
  assert.ok(kube.ok);
  const resolved = resolveConfig({ mode: 'enforce' });
  assert.ok(resolved.ok);
  const live = buildLive({ config: resolved.config, kube, usage: s.usage, ...recordingLogger(), metrics: metrics(), env: { HEADROOM_NAMESPACE: 'once' }, mode: 'dry-run' });
  assert.deepEqual(live.state, { namespace: 'once', name: 'headroom-state' });
  const checks = await live.preflight();
  assert.ok(checks.every((c) => c.ok), 'admin may do everything');
  const r = await runOnce({ evaluator: live.evaluator, usage: s.usage });
  assert.ok(r.ok);
  const row = r.rows.find((x) => x.node === 'once-n0');
  assert.equal(row?.result, 'evicted');
  assert.deepEqual([...(row?.evicted ?? [])].sort(), ['once/api-1', 'once/web-1']);
  assert.match(formatOnceTable(r), /^headroom once \(dry-run\): nodes at or over 93%\nNODE +USAGE +RESULT +WOULD EVICT +REASON\n/);
  assert.deepEqual((await podStates(cluster, 'once')).terminating, []);
});
