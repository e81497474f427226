import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FactsGatherer } from '../../../src/facts/gather.ts';
import { readNodeUsage } from '../../../src/live/node-usage.ts';
import { usageFromPrometheus } from '../../../src/live/prometheus-usage.ts';
import type { UsageReader } from '../../../src/prometheus/usage.ts';
import { FakeKubeApi } from '../kube/fake-api.ts';
import { rawNode } from '../kube/objects.ts';

const reader = (nodes: Awaited<ReturnType<UsageReader['nodes']>>, pods: Awaited<ReturnType<UsageReader['pods']>>): Pick<UsageReader, 'nodes' | 'pods'> => ({ nodes: async () => nodes, pods: async () => pods });

test('records become maps; a dropped node keeps its reason', async () => {
  const source = usageFromPrometheus(
    reader(
      { ok: true, nodes: { n1: 1024 }, newestSampleAgeSeconds: 5, dropped: [{ key: 'n0', reason: 'stale', message: 'node_usage for n0: newest sample 300 s old (max 120 s)', ageSeconds: 300 }] },
      { ok: true, node: 'n0', pods: { 'shop/web-1': 512 }, newestSampleAgeSeconds: 5, dropped: [] },
    ),
  );
  const nodes = await source.nodeUsage();
  assert.ok(nodes.ok);
  assert.deepEqual([...nodes.value], [['n1', 1024]]);
  assert.deepEqual(nodes.dropped?.get('n0')?.kind, 'stale');
  const pods = await source.podUsage('n0');
  assert.deepEqual(pods.ok && [...pods.value], [['shop/web-1', 512]]);

  const api = new FakeKubeApi();
  api.nodes = [rawNode('n0'), rawNode('n1')];
  const g = new FactsGatherer({ api, usage: source, nodeCacheSeconds: 60, podCacheSeconds: 120 });
  const u = await readNodeUsage(source, g, 'n0');
  assert.deepEqual(u.ok ? null : [u.verdict.result, u.verdict.reason], ['skipped', 'metrics stale: node_usage for n0: newest sample 300 s old (max 120 s)']);
});

test('failure kinds fold into stale, missing and unavailable', async () => {
  for (const [kind, expected] of [['stale', 'stale'], ['missing', 'missing'], ['unreachable', 'unavailable'], ['timeout', 'unavailable'], ['http', 'unavailable'], ['bad-data', 'unavailable'], ['query-error', 'unavailable']] as const) {
    const source = usageFromPrometheus(reader({ ok: false, kind, message: kind }, { ok: false, kind, message: kind }));
    const n = await source.nodeUsage();
    const p = await source.podUsage('n0');
    assert.deepEqual([n.ok ? '' : n.failure.kind, p.ok ? '' : p.failure.kind], [expected, expected]);
  }
});
