import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executePlan, type ExecuteOptions } from '../../../src/act/execute.ts';
import type { EventSpec } from '../../../src/kube/types.ts';
import type { Plan } from '../../../src/plan/index.ts';
import { FakeKubeApi } from '../kube/fake-api.ts';
import { rawPod } from '../kube/objects.ts';
import { counter, makePlan, metrics, planned, recordingLogger } from './helpers.ts';

function setup(names: string[], o: Partial<ExecuteOptions> = {}) {
  const api = new FakeKubeApi();
  api.pods = names.map((n) => rawPod(n, { node: 'n0' }));
  const events: EventSpec[] = [];
  const { logger, lines } = recordingLogger();
  const m = metrics();
  const options: ExecuteOptions = {
    mode: 'enforce',
    api,
    events: { record: async (e) => void events.push(e) },
    slots: 2,
    budgetLimited: false,
    workloads: new Map(names.map((n) => [`shop/${n}`, `shop/Deployment/${n.replace(/-\d+$/, '')}`])),
    threshold: 93,
    checkUsage: async () => ({ ok: true, percent: 95 }),
    logger,
    metrics: m,
    ...o,
  };
  return { api, events, lines, m, options };
}

// 16 GiB node at 15 GiB, target 80% = 12.8 GiB: needs 2.2 GiB freed; each pod frees 1.5 GiB.
const plan3 = (): Plan => makePlan([planned('a-1', 1.5), planned('b-1', 1.5), planned('c-1', 1.5)], 2);

test('a PDB refusal (429) skips to the next candidate in plan order', async () => {
  const s = setup(['a-1', 'b-1', 'c-1']);
  s.api.evictions.set('shop/a-1', [{ result: 'pdb-refused', message: 'budget web', attempts: 1 }]);
  const r = await executePlan(plan3(), s.options);
  assert.deepEqual(r.outcomes.map((o) => [o.name, o.result]), [['a-1', 'pdb-refused'], ['b-1', 'evicted'], ['c-1', 'evicted']]);
  assert.equal(r.stopped, 'target-reached');
  assert.deepEqual(s.api.evicted, ['shop/b-1', 'shop/c-1']);
  assert.deepEqual(s.events.map((e) => [e.involved.name, e.reason]), [['a-1', 'HeadroomSkipped'], ['b-1', 'HeadroomEviction'], ['c-1', 'HeadroomEviction']]);
  assert.equal(await counter(s.m, { mode: 'enforce', result: 'pdb-refused' }), 1);
  assert.equal(await counter(s.m, { mode: 'enforce', result: 'evicted' }), 2);
  assert.deepEqual(s.lines.filter((l) => l.event === 'eviction').map((l) => l.pod), ['b-1', 'c-1']);
  assert.deepEqual(s.lines.filter((l) => l.event === 'eviction-skipped').map((l) => [l.pod, l.result]), [['a-1', 'pdb-refused']]);
});

test('dry-run sends the same requests with dryRun and evicts nothing', async () => {
  const s = setup(['a-1', 'b-1', 'c-1'], { mode: 'dry-run' });
  const r = await executePlan(plan3(), s.options);
  assert.deepEqual(r.outcomes.map((o) => [o.name, o.result, o.dryRun]), [['a-1', 'evicted', true], ['b-1', 'evicted', true]]);
  assert.deepEqual(s.api.calls.filter((c) => c.startsWith('evict')), ['evict shop/a-1 dry-run', 'evict shop/b-1 dry-run']);
  assert.deepEqual(s.api.evicted, []);
  assert.equal(await counter(s.m, { mode: 'dry-run', result: 'evicted' }), 2);
  assert.match(s.events[0]?.message ?? '', /^Dry run: headroom would evict/);
});

test('slots end the round: round-full, or budget when the budget cut them', async () => {
  const full = setup(['a-1', 'b-1', 'c-1'], { slots: 1 });
  assert.equal((await executePlan(plan3(), full.options)).stopped, 'round-full');
  const last = setup(['a-1', 'b-1'], { slots: 2 });
  assert.equal((await executePlan(makePlan([planned('a-1', 1), planned('b-1', 1)], 2), last.options)).stopped, 'round-full', 'the last candidate filled the round');
  const budget = setup(['a-1', 'b-1', 'c-1'], { slots: 1, budgetLimited: true });
  const r = await executePlan(plan3(), budget.options);
  assert.deepEqual([r.stopped, r.outcomes.length], ['budget', 1]);
  assert.match(r.message, /hourly eviction budget/);
});

test('one pod per workload: a second pod of an evicted workload is passed over', async () => {
  const s = setup(['a-1', 'a-2', 'b-1']);
  const r = await executePlan(makePlan([planned('a-1', 1.5), planned('a-2', 1.5), planned('b-1', 1.5)], 2), s.options);
  assert.deepEqual(r.outcomes.map((o) => o.name), ['a-1', 'b-1']);
});

test('a pod already gone is fine and frees its memory; no Event for it', async () => {
  const s = setup(['b-1', 'c-1']);
  const r = await executePlan(plan3(), s.options);
  assert.deepEqual(r.outcomes.map((o) => [o.name, o.result]), [['a-1', 'gone'], ['b-1', 'evicted']]);
  assert.deepEqual(s.events.map((e) => e.involved.name), ['b-1']);
});

test('retries spent (API server 5xx) stop the round and are reported', async () => {
  const s = setup(['a-1', 'b-1']);
  s.api.evictions.set('shop/a-1', [{ result: 'retryable', status: 503, message: 'server: unavailable', attempts: 4 }]);
  const r = await executePlan(plan3(), s.options);
  assert.deepEqual([r.stopped, r.outcomes.map((o) => [o.result, o.attempts])], ['api-unavailable', [['failed', 4]]]);
  assert.match(r.message, /after 4 attempts/);
  assert.equal(await counter(s.m, { mode: 'enforce', result: 'failed' }), 1);
});

test('forbidden stops the round; several PDBs skips to the next', async () => {
  const f = setup(['a-1', 'b-1']);
  f.api.evictions.set('shop/a-1', [{ result: 'forbidden', message: 'no RBAC', attempts: 1 }]);
  assert.equal((await executePlan(plan3(), f.options)).stopped, 'forbidden');
  const m = setup(['a-1', 'b-1', 'c-1']);
  m.api.evictions.set('shop/a-1', [{ result: 'several-pdbs', message: 'more than one', attempts: 1 }]);
  assert.deepEqual((await executePlan(plan3(), m.options)).outcomes.map((o) => o.result), ['several-pdbs', 'evicted', 'evicted']);
});

test('the node is re-read first: under the threshold or unknown means no request at all', async () => {
  const under = setup(['a-1'], { checkUsage: async () => ({ ok: true, percent: 90 }) });
  const r = await executePlan(plan3(), under.options);
  assert.deepEqual([r.stopped, r.outcomes.length], ['under-threshold', 0]);
  assert.match(r.message, /90\.0%, already under 93%/);
  const unknown = setup(['a-1'], { checkUsage: async () => ({ ok: false, message: 'stale' }) });
  assert.equal((await executePlan(plan3(), unknown.options)).stopped, 'usage-unavailable');
  assert.equal(under.api.calls.length + unknown.api.calls.length, 0);
});

test('candidates exhausted when every pod is refused', async () => {
  const s = setup(['a-1', 'b-1', 'c-1']);
  for (const n of ['a-1', 'b-1', 'c-1']) s.api.evictions.set(`shop/${n}`, [{ result: 'pdb-refused', message: 'pdb', attempts: 1 }]);
  const r = await executePlan(plan3(), s.options);
  assert.deepEqual([r.stopped, r.message], ['candidates-exhausted', 'no candidate could be evicted']);
});
