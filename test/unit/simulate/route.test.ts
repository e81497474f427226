import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { registerSimulateRoute } from '../../../src/simulate/route.ts';
import { buildTestApp, testConfig } from '../../helpers/app.ts';

const cluster = JSON.parse(readFileSync(new URL('../../fixtures/cluster-small.json', import.meta.url), 'utf8')) as { items: Array<{ kind: string; metadata: { name: string } }> };
const firstNode = cluster.items.find((i) => i.kind === 'Node')?.metadata.name ?? '';

function appWith(raw: Record<string, unknown> = {}, live = false) {
  const config = testConfig(raw);
  return buildTestApp(raw, { extraRoutes: (scope) =>
    registerSimulateRoute(scope, {
      config,
      rawConfig: raw,
      now: () => new Date('2026-11-27T12:00:00Z'),
      ...(live ? { liveFacts: async () => ({ ok: false as const, error: 'unavailable' as const, message: 'prometheus: http://127.0.0.1:1 unreachable: ECONNREFUSED' }) } : {}),
    }),
  });
}

const post = (t: ReturnType<typeof appWith>, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/simulate', payload: payload as object, headers });

describe('POST /simulate', () => {
  it('plans a node of a snapshot and answers the contract shape', async () => {
    const t = appWith();
    const res = await post(t, { node: firstNode, cluster });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(body).sort(), ['candidates', 'evictions', 'memory', 'node', 'protected', 'reachedTarget']);
    assert.equal(body.node, firstNode);
    assert.deepEqual(Object.keys(body.memory as object).sort(), ['projectedUsage', 'target', 'totalBytes', 'usage', 'usedBytes']);
    assert.equal(t.evaluator.requests.length, 0, 'simulate never evaluates or evicts');
    await t.app.close();
  });

  it('applies a config override for this call only', async () => {
    const t = appWith();
    const a = await post(t, { node: firstNode, cluster, config: { thresholds: { target_memory_usage: 10 } } });
    const b = await post(t, { node: firstNode, cluster });
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(a.json<{ memory: { target: number } }>().memory.target, 10);
    assert.equal(b.json<{ memory: { target: number } }>().memory.target, 80);
    await t.app.close();
  });

  const bad: Array<{ description: string; payload: unknown; status: number; error: string; mentions: string }> = [
    { description: 'node missing', payload: { cluster }, status: 400, error: 'invalid-request', mentions: 'node' },
    { description: 'node not a string', payload: { node: 5, cluster }, status: 400, error: 'invalid-request', mentions: 'node' },
    { description: 'unknown top-level key', payload: { node: firstNode, cluster, evict: true }, status: 400, error: 'invalid-request', mentions: 'evict' },
    { description: 'negative usage', payload: { node: firstNode, cluster, usage: { pods: { 'a/b': -1 } } }, status: 400, error: 'invalid-request', mentions: 'usage.pods' },
    { description: 'usage as a string', payload: { node: firstNode, cluster, usage: { nodes: { x: '1Gi' } } }, status: 400, error: 'invalid-request', mentions: 'usage.nodes' },
    { description: 'now not a time', payload: { node: firstNode, cluster, now: 'yesterday' }, status: 400, error: 'invalid-request', mentions: 'now' },
    { description: 'cluster without items', payload: { node: firstNode, cluster: { kind: 'List' } }, status: 400, error: 'invalid-request', mentions: 'cluster.items' },
    { description: 'malformed pod in the cluster', payload: { node: firstNode, cluster: { items: [{ kind: 'Pod', metadata: { name: 7 } }] } }, status: 400, error: 'invalid-cluster', mentions: 'metadata.name' },
    { description: 'override out of range', payload: { node: firstNode, cluster, config: { thresholds: { target_memory_usage: 150 } } }, status: 400, error: 'invalid-config', mentions: 'thresholds.target_memory_usage' },
    { description: 'override with an unknown key', payload: { node: firstNode, cluster, config: { eviction: { max_pods: 3 } } }, status: 400, error: 'invalid-config', mentions: 'eviction.max_pods' },
    { description: 'override of a section that may not change', payload: { node: firstNode, cluster, config: { prometheus: { url: 'http://evil.example' } } }, status: 400, error: 'invalid-request', mentions: 'config' },
    { description: 'unknown node', payload: { node: 'no-such-node', cluster }, status: 404, error: 'unknown-node', mentions: 'no-such-node' },
  ];
  for (const row of bad) {
    it(`answers ${row.status} ${row.error}: ${row.description}`, async () => {
      const t = appWith();
      const res = await post(t, row.payload);
      assert.equal(res.statusCode, row.status, res.body);
      const body = res.json<{ error: string; message: string }>();
      assert.equal(body.error, row.error);
      assert.match(body.message, new RegExp(row.mentions.replace(/[.]/g, '\\.')));
      await t.app.close();
    });
  }

  it('answers 501 without a cluster when no live source exists', async () => {
    const t = appWith();
    const res = await post(t, { node: firstNode });
    assert.equal(res.statusCode, 501);
    assert.equal(res.json<{ error: string }>().error, 'live-mode-unavailable');
    await t.app.close();
  });

  it('answers 503 naming the dependency when the live source fails', async () => {
    const t = appWith({}, true);
    const res = await post(t, { node: firstNode });
    assert.equal(res.statusCode, 503);
    assert.match(res.json<{ message: string }>().message, /prometheus/);
    await t.app.close();
  });

  it('requires the bearer token when one is configured', async () => {
    const token = 'a-token-of-sufficient-length';
    const t = appWith({ server: { auth_token: token } });
    assert.equal((await post(t, { node: firstNode, cluster })).statusCode, 401);
    assert.equal((await post(t, { node: firstNode, cluster }, { authorization: 'Bearer wrong-token-of-some-length' })).statusCode, 401);
    assert.equal((await post(t, { node: firstNode, cluster }, { authorization: `Bearer ${token}` })).statusCode, 200);
    await t.app.close();
  });
});
