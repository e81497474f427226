/**
 * The usage reader over a scripted client: which query it sends, how results become nodes and
 * pods, and how client failures and unusable answers come back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PrometheusClient } from '../../../src/prometheus/client.ts';
import type { PromSample, QueryResult } from '../../../src/prometheus/types.ts';
import { resolveConfig } from '../../../src/config/load.ts';
import { prometheusNotFresh } from '../../../src/prometheus/ready.ts';
import { createUsageReader, type UsageSettings } from '../../../src/prometheus/usage.ts';

const settings: UsageSettings = { max_sample_age: 60, queries: {} };

function scripted(answer: (q: string) => QueryResult): PrometheusClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    origin: 'Prometheus at http://fake',
    sent,
    query: async (q) => {
      sent.push(q);
      return answer(q);
    },
    close: async () => undefined,
  };
}

const vector = (samples: PromSample[]): QueryResult => ({ ok: true, resultType: 'vector', samples, warnings: [] });
const s = (labels: Record<string, string>, value: number): PromSample => ({ labels, value, timestamp: 1 });

describe('usage reader', () => {
  it('nodes(): one query, values per node', async () => {
    const client = scripted(() => vector([
      s({ node: 'a', headroom_series: 'usage' }, 1000), s({ node: 'a', headroom_series: 'age' }, 5),
      s({ node: 'b', headroom_series: 'usage' }, 2000), s({ node: 'b', headroom_series: 'age' }, 90),
    ]));
    const r = await createUsageReader(client, settings).nodes();
    assert.equal(client.sent.length, 1);
    assert.ok(r.ok);
    assert.deepEqual(r.nodes, { a: 1000 });
    assert.equal(r.newestSampleAgeSeconds, 5);
    assert.deepEqual(r.dropped.map((d) => d.message), ['node_usage for b: newest sample 90 s old (max 60 s)']);
  });

  it('node(): filters in PromQL and reports the node\'s own staleness', async () => {
    const client = scripted(() => vector([s({ node: 'b', headroom_series: 'usage' }, 2000), s({ node: 'b', headroom_series: 'age' }, 90)]));
    const r = await createUsageReader(client, settings).node('b');
    assert.match(client.sent[0] ?? '', /and on \(node\) label_replace\(vector\(1\), "node", "b", "", ""\)/);
    assert.deepEqual(r, { ok: false, kind: 'stale', message: 'node_usage: nothing usable for node b (1 series): node_usage for b: newest sample 90 s old (max 60 s)' });
  });

  it('node(): no series is missing', async () => {
    const r = await createUsageReader(scripted(() => vector([])), settings).node('c');
    assert.equal(!r.ok && r.kind, 'missing');
    assert.match(!r.ok ? r.message : '', /returned no series for node c/);
  });

  it('node(): a fresh value', async () => {
    const client = scripted(() => vector([s({ node: 'a', headroom_series: 'usage' }, 1000), s({ node: 'a', headroom_series: 'age' }, 5)]));
    assert.deepEqual(await createUsageReader(client, settings).node('a'), { ok: true, node: 'a', usedBytes: 1000, sampleAgeSeconds: 5 });
  });

  it('pods(): keys namespace/name, query filled with the node', async () => {
    const client = scripted(() => vector([
      s({ namespace: 'shop', pod: 'web-1', headroom_series: 'usage' }, 300), s({ namespace: 'shop', pod: 'web-1', headroom_series: 'age' }, 1),
      s({ namespace: 'shop', pod: 'gone', headroom_series: 'usage' }, 100), s({ namespace: 'shop', pod: 'gone', headroom_series: 'age' }, 200),
    ]));
    const r = await createUsageReader(client, settings).pods('worker-1');
    assert.match(client.sent[0] ?? '', /node="worker-1"/);
    assert.ok(r.ok);
    assert.deepEqual(r.pods, { 'shop/web-1': 300 });
    assert.deepEqual(r.dropped.map((d) => [d.key, d.reason]), [['shop/gone', 'stale']]);
  });

  it('pods(): a configured query is used, with $node filled', async () => {
    const client = scripted(() => vector([]));
    await createUsageReader(client, { max_sample_age: 60, queries: { pod_usage: 'sum by (namespace, pod) (ws{host="$node"})' } }).pods('n1');
    assert.match(client.sent[0] ?? '', /sum by \(namespace, pod\) \(ws\{host="n1"\}\)/);
  });

  it('a client failure passes through with its kind, prefixed with the query name', async () => {
    const r = await createUsageReader(scripted(() => ({ ok: false, kind: 'unreachable', message: 'Prometheus at http://x unreachable: ECONNREFUSED' })), settings).nodes();
    assert.deepEqual(r, { ok: false, kind: 'unreachable', message: 'node_usage: Prometheus at http://x unreachable: ECONNREFUSED' });
  });

  it('a scalar answer is bad-data', async () => {
    const r = await createUsageReader(scripted(() => ({ ok: true, resultType: 'scalar', value: 1, timestamp: 1, warnings: [] })), settings).pods('a');
    assert.equal(!r.ok && r.kind, 'bad-data');
  });

  it('takes the prometheus section of a resolved config as it is', async () => {
    const resolved = resolveConfig({ prometheus: { max_sample_age: 30, queries: { node_usage: 'sum by (node) (x)' } } });
    assert.ok(resolved.ok);
    const client = scripted(() => vector([]));
    await createUsageReader(client, resolved.config.prometheus).nodes();
    assert.match(client.sent[0] ?? '', /sum by \(node\) \(x\)/);
  });

  it('prometheusNotFresh: null with fresh data, else the reason', async () => {
    const fresh = scripted(() => vector([s({ node: 'a', headroom_series: 'usage' }, 1), s({ node: 'a', headroom_series: 'age' }, 1)]));
    assert.equal(await prometheusNotFresh(createUsageReader(fresh, settings)), null);
    const stale = scripted(() => vector([s({ node: 'a', headroom_series: 'usage' }, 1), s({ node: 'a', headroom_series: 'age' }, 600)]));
    assert.match((await prometheusNotFresh(createUsageReader(stale, settings))) ?? '', /newest sample 600 s old/);
  });
});
