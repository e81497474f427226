import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitsStore } from '../../../src/act/limits-store.ts';
import { FakeKubeApi, failure } from '../kube/fake-api.ts';

const policy = { cooldownSeconds: 90, workloadCooldownSeconds: 300, maxPerHour: 3 };
const T0 = new Date('2026-11-27T12:00:00Z');
const store = (api: FakeKubeApi, mode: 'dry-run' | 'enforce' = 'enforce'): LimitsStore => new LimitsStore({ api, namespace: 'headroom', mode, policy });

test('claim creates the ConfigMap; a new store (restart) sees the cooldown after refresh', async () => {
  const api = new FakeKubeApi();
  const a = store(api);
  const c = await a.claim('n1', 2, T0);
  assert.ok(c.ok);
  assert.equal(a.inCooldown('n1', T0), true, 'the mirror follows our own writes');
  const b = store(api);
  assert.equal(b.inCooldown('n1', T0), false, 'nothing known before refresh');
  assert.deepEqual(await b.refresh(T0), { ok: true });
  assert.equal(b.inCooldown('n1', T0), true);
  assert.equal(b.cooldownSeconds('n1', new Date(T0.getTime() + 30_000)), 60);
  assert.deepEqual(await b.claim('n1', 2, T0), { ok: false, refused: 'cooldown', seconds: 90 });
});

test('release gives a claim back, for this store and a restarted one', async () => {
  const api = new FakeKubeApi();
  const a = store(api);
  const c = await a.claim('n1', 2, T0);
  assert.ok(c.ok);
  assert.deepEqual(await a.release(c.claim, T0), { ok: true });
  assert.equal(a.inCooldown('n1', T0), false);
  assert.equal(a.budgetLeft(T0), 3);
  const b = store(api);
  assert.deepEqual(await b.refresh(T0), { ok: true });
  assert.equal(b.inCooldown('n1', T0), false);
  assert.ok((await b.claim('n1', 1, T0)).ok, 'the node can be claimed again at once');
});

test('settle records evictions and workloads; budget is shared by both stores', async () => {
  const api = new FakeKubeApi();
  const a = store(api);
  const c = await a.claim('n1', 2, T0);
  assert.ok(c.ok);
  assert.deepEqual(await a.settle(c.claim, [{ pod: 'shop/web-1', workload: 'shop/Deployment/web' }], T0), { ok: true });
  const b = store(api);
  await b.refresh(T0);
  assert.equal(b.budgetLeft(T0), 2);
  assert.deepEqual(b.recentWorkloadEvictions(T0), { 'shop/Deployment/web': T0.toISOString() });
});

test('dry-run and enforce keep separate limits in the same ConfigMap', async () => {
  const api = new FakeKubeApi();
  assert.ok((await store(api, 'dry-run').claim('n1', 1, T0)).ok);
  assert.ok((await store(api, 'enforce').claim('n1', 1, T0)).ok);
  assert.deepEqual(Object.keys(api.configMaps.get('headroom/headroom-state')?.data ?? {}).sort(), ['dry-run.json', 'enforce.json']);
});

test('a lost race (409) is re-decided on the fresh state', async () => {
  const api = new FakeKubeApi();
  const a = store(api);
  await a.claim('n0', 1, T0);
  api.conflicts = 2;
  const c = await a.claim('n1', 1, T0);
  assert.ok(c.ok);
  assert.equal(api.calls.filter((x) => x === 'writeConfigMap').length, 4);
});

test('two replicas claiming the same node: exactly one wins', async () => {
  const api = new FakeKubeApi();
  const [x, y] = await Promise.all([store(api).claim('n1', 1, T0), store(api).claim('n1', 1, T0)]);
  assert.deepEqual([x.ok, y.ok].sort(), [false, true]);
  const loser = x.ok ? y : x;
  assert.equal(loser.ok ? '' : loser.refused, 'cooldown');
});

test('failures are values: API down, endless conflicts, a ConfigMap that is not ours', async () => {
  const api = new FakeKubeApi();
  api.failNext.set('readConfigMap', [failure('server', 503, true)]);
  const r = await store(api).refresh(T0);
  assert.equal(r.ok ? '' : r.failure.kind, 'kube');
  api.conflicts = 10;
  const c = await store(api).claim('n1', 1, T0);
  assert.equal(c.ok ? '' : c.refused, 'unavailable');
  api.conflicts = 0;
  api.configMaps.set('headroom/headroom-state', { data: { 'enforce.json': '{"hello":1}' }, rv: 7 });
  const bad = await store(api).refresh(T0);
  assert.match(bad.ok ? '' : bad.failure.message, /is not headroom's.*fix or delete it/);
});

test('a ConfigMap deleted between read and write is created again', async () => {
  const api = new FakeKubeApi();
  const a = store(api);
  assert.ok((await a.claim('n0', 1, T0)).ok);
  api.failNext.set('writeConfigMap', [failure('gone', 404)]);
  assert.ok((await a.claim('n1', 1, T0)).ok);
});

test('a claim right after a refresh writes without reading again; a stale start costs one 409', async () => {
  const api = new FakeKubeApi();
  const a = store(api);
  await a.refresh(T0);
  api.calls = [];
  assert.ok((await a.claim('n1', 1, T0)).ok);
  assert.deepEqual(api.calls, ['writeConfigMap']);
  assert.ok((await store(api).claim('n2', 1, T0)).ok, 'another replica writes');
  api.calls = [];
  const late = await a.claim('n1', 1, T0);
  assert.equal(late.ok ? '' : late.refused, 'cooldown', 'refused only after a fresh read');
  assert.deepEqual(api.calls, ['readConfigMap']);
  api.calls = [];
  assert.ok((await a.claim('n3', 1, T0)).ok);
  assert.deepEqual(api.calls, ['writeConfigMap'], 'the fresh read is reused');
});
