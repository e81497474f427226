import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetUsed, claim, cooldownLeft, emptyState, parseState, prune, recentWorkloads, release, serializeState, settle } from '../../../src/act/limits-state.ts';

const policy = { cooldownSeconds: 90, workloadCooldownSeconds: 300, maxPerHour: 5 };
const T0 = new Date('2026-11-27T12:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

test('a claim starts the node cooldown and reserves slots; a second claim inside it is refused', () => {
  const c = claim(emptyState(), 'a', 'n1', 2, T0, policy);
  assert.ok(c.ok);
  assert.equal(c.slots, 2);
  assert.equal(cooldownLeft(c.state, 'n1', at(30), policy), 60);
  assert.equal(cooldownLeft(c.state, 'n1', at(90), policy), 0);
  assert.deepEqual(claim(c.state, 'b', 'n1', 2, at(89.5), policy), { ok: false, refused: 'cooldown', seconds: 1 });
  assert.ok(claim(c.state, 'b', 'n2', 2, at(1), policy).ok, 'other nodes are not in cooldown');
});

test('settling keeps only what was evicted against the budget, and starts workload cooldowns', () => {
  const c = claim(emptyState(), 'a', 'n1', 2, T0, policy);
  assert.ok(c.ok);
  assert.equal(budgetUsed(c.state, T0), 2, 'reserved slots count until settled');
  const s = settle(c.state, 'a', [{ pod: 'shop/web-1', workload: 'shop/Deployment/web' }], at(1));
  assert.equal(budgetUsed(s, at(1)), 1);
  assert.deepEqual(recentWorkloads(s, at(299), policy), { 'shop/Deployment/web': at(1).toISOString() });
  assert.deepEqual(recentWorkloads(s, at(301), policy), {});
  assert.equal(s.claims.length, 0);
});

test('the hourly budget: slots shrink to what is left, then claims are refused; it frees after an hour', () => {
  let s = emptyState();
  for (let i = 0; i < 4; i++) {
    const c = claim(s, `c${i}`, `n${i}`, 1, at(i), policy);
    assert.ok(c.ok);
    s = settle(c.state, `c${i}`, [{ pod: `shop/p${i}`, workload: null }], at(i));
  }
  const last = claim(s, 'x', 'n9', 3, at(10), policy);
  assert.ok(last.ok);
  assert.equal(last.slots, 1);
  const refused = claim(last.state, 'y', 'n8', 1, at(11), policy);
  assert.deepEqual(refused, { ok: false, refused: 'budget', used: 5, max: 5 });
  assert.ok(claim(last.state, 'z', 'n8', 1, at(3601 + 10), policy).ok);
});

test('max_evictions_per_hour 0 never allows an eviction', () => {
  assert.deepEqual(claim(emptyState(), 'a', 'n1', 2, T0, { ...policy, maxPerHour: 0 }), { ok: false, refused: 'budget', used: 0, max: 0 });
});

test('prune drops expired entries; serialise and parse round-trip', () => {
  const c = claim(emptyState(), 'a', 'n1', 1, T0, policy);
  assert.ok(c.ok);
  const s = settle(c.state, 'a', [{ pod: 'shop/p', workload: 'shop/StatefulSet/db' }], T0);
  const later = prune(s, at(3700), policy);
  assert.deepEqual(later, emptyState());
  const parsed = parseState(serializeState(s));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.state, s);
});

test('parseState: empty is no limits, anything else that is not ours is an error', () => {
  assert.deepEqual(parseState(undefined), { ok: true, state: emptyState() });
  assert.deepEqual(parseState(''), { ok: true, state: emptyState() });
  for (const bad of ['{', '[]', '{"nodes":{"n":"yesterday"},"workloads":{},"evictions":[],"claims":[]}', '{"nodes":{},"workloads":{},"evictions":[1],"claims":[]}']) {
    assert.equal(parseState(bad).ok, false, bad);
  }
});

test('release withdraws a claim: its slots go back and its node leaves the cooldown it started', () => {
  const c = claim(emptyState(), 'a', 'n1', 2, T0, policy);
  assert.ok(c.ok);
  const r = release(c.state, 'a');
  assert.deepEqual(r, emptyState());
  assert.equal(cooldownLeft(r, 'n1', T0, policy), 0);
  assert.equal(budgetUsed(r, T0), 0);
  assert.equal(release(r, 'a'), r, 'an unknown claim changes nothing');
});

test('release leaves a newer claim on the same node alone', () => {
  const old = claim(emptyState(), 'a', 'n1', 1, T0, policy);
  assert.ok(old.ok);
  // Claim a settled and its cooldown passed; claim b took the node again.
  const newer = claim(prune(settle(old.state, 'a', [], T0), at(100), policy), 'b', 'n1', 1, at(100), policy);
  assert.ok(newer.ok);
  const stray = { ...newer.state, claims: [...newer.state.claims, { id: 'a', node: 'n1', at: T0.toISOString(), slots: 1 }] };
  const r = release(stray, 'a');
  assert.equal(cooldownLeft(r, 'n1', at(100), policy), 90, "b's cooldown stays");
  assert.deepEqual(r.claims.map((x) => x.id), ['b']);
});
