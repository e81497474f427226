import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePermission, preflight, preflightProbe, preflightProblem, requiredPermissions } from '../../../src/kube/preflight.ts';
import { FakeKubeApi, failure } from './fake-api.ts';

const state = { namespace: 'headroom', name: 'headroom-state' };

test('every permission allowed: one passing check each', async () => {
  const checks = await preflight(new FakeKubeApi(), state);
  assert.equal(checks.length, requiredPermissions(state).length);
  assert.ok(checks.every((c) => c.ok));
  assert.equal(preflightProblem(checks), null);
  assert.ok(checks.some((c) => c.name === 'rbac: create pods/eviction'));
  assert.ok(checks.some((c) => c.name === 'rbac: update configmaps/headroom-state in namespace headroom'));
});

test('a missing permission is named, with why headroom needs it', async () => {
  const api = new FakeKubeApi();
  api.denied.add('create pods/eviction');
  const checks = await preflight(api, state);
  const failing = checks.filter((c) => !c.ok);
  assert.equal(failing.length, 1);
  assert.equal(failing[0]?.name, 'rbac: create pods/eviction');
  assert.match(preflightProblem(checks) ?? '', /missing permission create pods\/eviction \(needed to evict pods/);
});

test('an API server that cannot answer fails every check with the reason', async () => {
  const api = new FakeKubeApi();
  api.failNext.set('canI', Array.from({ length: 20 }, () => failure('network', null, true)));
  const checks = await preflight(api, state);
  assert.ok(checks.every((c) => !c.ok && /cannot ask the API server/.test(c.message)));
});

test('describePermission reads like kubectl auth can-i', () => {
  assert.equal(describePermission({ verb: 'list', resource: 'poddisruptionbudgets', group: 'policy' }), 'list poddisruptionbudgets.policy');
});

test('the readiness probe reuses answers: long while all pass, briefly while one fails', async () => {
  const api = new FakeKubeApi();
  let asked = 0;
  const canI = api.canI.bind(api);
  api.canI = async (q) => {
    asked += 1;
    return canI(q);
  };
  let t = 0;
  const probe = preflightProbe(api, state, { nowMs: () => t });
  const n = requiredPermissions(state).length;
  await Promise.all([probe(), probe()]);
  assert.equal(asked, n, 'concurrent probes share one ask');
  t = 299_000;
  await probe();
  assert.equal(asked, n);
  api.denied.add('create events');
  t = 301_000;
  assert.equal((await probe()).filter((c) => !c.ok).length, 1);
  t = 305_000;
  await probe();
  assert.equal(asked, 2 * n, 'a failing answer is kept 10 s');
  api.denied.clear();
  t = 312_000;
  assert.ok((await probe()).every((c) => c.ok), 'and fixed RBAC shows up quickly');
});
