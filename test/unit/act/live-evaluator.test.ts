import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitsStore } from '../../../src/act/limits-store.ts';
import { resolveConfig, type Config } from '../../../src/config/load.ts';
import { LiveEvaluator } from '../../../src/live/evaluator.ts';
import { formatOnceTable, runOnce } from '../../../src/live/once.ts';
import { FakeKubeApi, failure } from '../kube/fake-api.ts';
import { FakeUsage } from '../kube/fake-usage.ts';
import { GiB, rawNode, rawPod, rawReplicaSet } from '../kube/objects.ts';
import { metrics, recordingLogger } from './helpers.ts';

const T0 = new Date('2026-11-27T12:00:00Z');

function config(over: Record<string, unknown> = {}): Config {
  const r = resolveConfig({ mode: 'enforce', ...over });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

/** n0 at 15 of 16 GiB (93.75%) with three Deployment pods of 1.5 GiB; n1..n3 roomy. */
function world(over: Record<string, unknown> = {}) {
  const api = new FakeKubeApi();
  api.nodes = [rawNode('n0'), rawNode('n1'), rawNode('n2'), rawNode('n3')];
  api.pods = ['a', 'b', 'c'].map((app) => rawPod(`${app}-1`, { node: 'n0', app, request: '1Gi' }));
  api.replicaSets = ['a', 'b', 'c'].map((app) => rawReplicaSet(`${app}-rs`, app, 3));
  const usage = new FakeUsage();
  usage.nodes = new Map([['n0', 15 * GiB], ['n1', 4 * GiB], ['n2', 4 * GiB], ['n3', 4 * GiB]]);
  usage.pods = new Map(['a', 'b', 'c'].map((app) => [`shop/${app}-1`, 1.5 * GiB]));
  const { logger, lines } = recordingLogger();
  let now = T0;
  const clock = { set: (d: Date) => (now = d), now: () => now };
  const make = (extra: Partial<ConstructorParameters<typeof LiveEvaluator>[0]> = {}): LiveEvaluator =>
    new LiveEvaluator({ config: config(over), api, usage, logger, metrics: metrics(), stateNamespace: 'headroom', now: clock.now, ...extra });
  return { api, usage, lines, clock, make };
}

const req = (node = 'n0') => ({ node, alertnames: ['NodeMemoryPressureCritical'], requestedAt: T0 });
const signal = new AbortController().signal;

test('evicts the chosen pods, records Events with UIDs, starts the cooldown', async () => {
  const w = world();
  const ev = w.make();
  const r = await ev.evaluate(req(), signal);
  assert.equal(r.result, 'evicted', r.reason);
  assert.equal(r.evicted.length, 2, 'two pods of 1.5 GiB bring 15 GiB to 12 GiB (75%)');
  assert.equal(r.cooldownSeconds, 90);
  assert.equal(w.api.evicted.length, 2);
  assert.ok(w.api.events.every((e) => e.reason === 'HeadroomEviction' && e.involved.uid?.startsWith('uid-shop-')));
  assert.equal(ev.inCooldown('n0', T0), true);
  assert.equal(w.lines.filter((l) => l.event === 'eviction').length, 2);
});

test('five quick evaluations and two more after a restart: one eviction round', async () => {
  const w = world();
  const first = w.make();
  const results = await Promise.all([1, 2, 3, 4, 5].map(() => first.evaluate(req(), signal)));
  assert.deepEqual(results.map((r) => r.result), ['evicted', 'skipped', 'skipped', 'skipped', 'skipped']);
  assert.match(results[1]?.reason ?? '', /cooldown/);
  const restarted = w.make();
  assert.deepEqual(await restarted.init(), { ok: true });
  assert.equal(restarted.inCooldown('n0', T0), true);
  for (let i = 0; i < 2; i++) assert.equal((await restarted.evaluate(req(), signal)).result, 'skipped');
  assert.equal(w.api.evicted.length, 2);
  w.clock.set(new Date(T0.getTime() + 91_000));
  assert.equal(restarted.inCooldown('n0', w.clock.now()), false, 'cooldown over after 90 s');
});

test('the hourly budget stops evictions and says so', async () => {
  const w = world({ eviction: { max_evictions_per_hour: 1 } });
  const ev = w.make();
  const r = await ev.evaluate(req(), signal);
  assert.equal(r.evicted.length, 1);
  assert.match(r.reason ?? '', /budget/);
  w.usage.nodes.set('n1', 15 * GiB);
  w.api.pods.push(rawPod('d-1', { node: 'n1', app: 'd' }));
  const next = await ev.evaluate(req('n1'), signal);
  assert.equal(next.result, 'skipped');
  assert.match(next.reason ?? '', /hourly eviction budget reached: 1 of 1/);
  assert.ok(w.api.events.some((e) => e.involved.kind === 'Node' && e.involved.name === 'n1' && e.reason === 'HeadroomSkipped'));
  assert.ok(w.lines.some((l) => l.event === 'eviction-skipped' && l.node === 'n1'));
});

test('dry-run: the same requests with dryRun, nothing evicted, limits kept apart', async () => {
  const w = world({ mode: 'dry-run' });
  const r = await w.make().evaluate(req(), signal);
  assert.equal(r.result, 'evicted');
  assert.match(r.reason ?? '', /^dry-run: the API server would evict shop\/\w-1, shop\/\w-1 \(nothing was evicted\)/);
  assert.deepEqual(w.api.evicted, []);
  assert.ok(w.api.calls.filter((c) => c.startsWith('evict')).every((c) => c.endsWith('dry-run')));
  assert.deepEqual(Object.keys(w.api.configMaps.get('headroom/headroom-state')?.data ?? {}), ['dry-run.json']);
});

test('stale metrics skip, Prometheus down fails; no eviction, and the pods are listed once, not per alert', async () => {
  const w = world();
  const ev = w.make();
  w.usage.failure = { kind: 'stale', message: 'newest sample is 600 s old' };
  const stale = await ev.evaluate(req(), signal);
  assert.deepEqual([stale.result, stale.evicted.length], ['skipped', 0]);
  assert.match(stale.reason ?? '', /metrics stale: newest sample is 600 s old/);
  w.usage.failure = { kind: 'unavailable', message: 'connect ECONNREFUSED' };
  const down = await ev.evaluate(req(), signal);
  assert.equal(down.result, 'failed');
  assert.ok(!w.api.calls.some((c) => c.startsWith('evict')));
  assert.equal(w.api.calls.filter((c) => c.startsWith('listPods')).length, 1, 'listed with the first usage read, then cached');
  assert.ok(w.lines.some((l) => l.event === 'eviction-skipped' && /ECONNREFUSED/.test(String(l.reason))));
});

test('a node under the threshold now (the alert was stale) is left alone', async () => {
  const w = world();
  w.usage.nodes.set('n0', 14 * GiB);
  const r = await w.make().evaluate(req(), signal);
  assert.deepEqual([r.result, r.reason], ['nothing-to-do', 'usage 87.5% is under 93%']);
  assert.ok(!w.api.calls.some((c) => c.startsWith('evict')));
});

test('every pod protected: nothing to do, reasons counted, Event on the node', async () => {
  const w = world({ protection: { namespaces: ['shop'] } });
  const r = await w.make().evaluate(req(), signal);
  assert.deepEqual([r.result, r.reason], ['nothing-to-do', 'no evictable pod: 3 protected (protected-namespace: 3)']);
  assert.equal(w.api.events[0]?.involved.kind, 'Node');
});

test('nothing to do after the claim was taken: the claim is given back, no cooldown, no slots held', async () => {
  const w = world({ protection: { namespaces: ['shop'] } });
  const ev = w.make();
  assert.equal((await ev.evaluate(req(), signal)).result, 'nothing-to-do');
  assert.equal(ev.inCooldown('n0', T0), false);
  const restarted = w.make();
  assert.deepEqual(await restarted.init(), { ok: true });
  assert.equal(restarted.inCooldown('n0', T0), false, 'the stored limits hold no cooldown for n0');
  assert.equal(restarted.limits.budgetLeft(T0), 20, 'and no slot');
  assert.equal(w.lines.filter((l) => l.event === 'limits-not-recorded').length, 0);
});

test('usage unknown or under the threshold after the claim was taken: the claim is given back', async () => {
  const w = world();
  const ev = w.make();
  w.usage.failure = { kind: 'unavailable', message: 'connect ECONNREFUSED' };
  assert.equal((await ev.evaluate(req(), signal)).result, 'failed');
  w.usage.failure = null;
  w.usage.nodes.set('n0', 14 * GiB);
  assert.equal((await ev.evaluate(req(), signal)).result, 'nothing-to-do');
  assert.equal(ev.inCooldown('n0', T0), false);
  assert.equal(ev.limits.budgetLeft(T0), 20);
  const restarted = w.make();
  assert.deepEqual(await restarted.init(), { ok: true });
  assert.deepEqual([restarted.inCooldown('n0', T0), restarted.limits.budgetLeft(T0)], [false, 20], 'nothing held in the stored limits');
});

test('facts that fail after the claim was taken: the claim is given back', async () => {
  const w = world();
  // Both lists fail: the one started beside the usage read, and the facts' own retry of it.
  w.api.failNext.set('listPods', [failure('server', 503, false), failure('server', 503, false)]);
  const ev = w.make();
  const r = await ev.evaluate(req(), signal);
  assert.equal(r.result, 'failed', r.reason);
  assert.match(r.reason ?? '', /list pods on n0/);
  assert.equal(ev.inCooldown('n0', T0), false);
  assert.equal(ev.limits.budgetLeft(T0), 20);
  assert.equal((await ev.evaluate(req(), signal)).result, 'evicted', 'the next alert acts at once');
});

test('once: every node over the threshold (or --target-usage), most loaded first, as a table', async () => {
  const w = world();
  w.usage.nodes.set('n1', 14 * GiB);
  const ev = w.make({ targetUsage: 80, mode: 'dry-run' });
  const r = await runOnce({ evaluator: ev, usage: w.usage, now: w.clock.now });
  assert.ok(r.ok);
  assert.deepEqual(r.rows.map((row) => [row.node, row.result]), [['n0', 'evicted'], ['n1', 'nothing-to-do']]);
  const table = formatOnceTable(r);
  assert.match(table, /^headroom once \(dry-run\): nodes at or over 80%\nNODE\s+USAGE\s+RESULT\s+WOULD EVICT\s+REASON\nn0\s+93\.8%\s+evicted/);
  w.usage.failure = { kind: 'unavailable', message: 'down' };
  const broken = await runOnce({ evaluator: w.make(), usage: w.usage });
  assert.deepEqual(broken, { ok: false, message: 'cannot read node usage (unavailable): down' });
});

test('usage is read again before acting when the first reading has aged (node recovered meanwhile)', async () => {
  const w = world();
  const ev = w.make({ usageReReadMs: 0 });
  // A slow read of the facts (after the first usage reading): time passes, the node recovers.
  const slowList = w.api.listPdbs.bind(w.api);
  w.api.listPdbs = async () => {
    w.usage.nodes.set('n0', 13 * GiB);
    w.clock.set(new Date(T0.getTime() + 5000));
    return slowList();
  };
  const r = await ev.evaluate(req(), signal);
  assert.deepEqual([r.result, r.reason], ['nothing-to-do', 'usage is 81.3%, already under 93%']);
  assert.ok(!w.api.calls.some((c) => c.startsWith('evict')));
});

test('a workload another replica evicted meanwhile is re-planned away after the claim', async () => {
  const w = world();
  const ev = w.make();
  assert.deepEqual(await ev.init(), { ok: true });
  const other = new LimitsStore({ api: w.api, namespace: 'headroom', mode: 'enforce', policy: { cooldownSeconds: 90, workloadCooldownSeconds: 300, maxPerHour: 20 } });
  const c = await other.claim('n9', 1, T0);
  assert.ok(c.ok);
  await other.settle(c.claim, [{ pod: 'shop/a-9', workload: 'shop/Deployment/a' }], T0);
  const r = await ev.evaluate(req(), signal);
  assert.equal(r.result, 'evicted');
  assert.deepEqual(r.evicted.map((p) => p.name).sort(), ['b-1', 'c-1']);
});

test('a trend alert acts from memory_alert; a level alert waits for memory_eviction', async () => {
  const w = world();
  w.usage.nodes.set('n0', 14.4 * GiB); // 90%: over memory_alert (88), under memory_eviction (93)
  const level = await w.make().evaluate(req(), signal);
  assert.equal(level.result, 'nothing-to-do');
  assert.match(level.reason ?? '', /under 93%/);
  assert.equal(w.api.evicted.length, 0);
  const trend = await w.make().evaluate({ node: 'n0', alertnames: ['NodeMemoryGrowthTrend'], requestedAt: T0 }, signal);
  assert.equal(trend.result, 'evicted', trend.reason);
  assert.ok(w.api.evicted.length > 0);
});
