/**
 * The usage reader against a REAL Prometheus 2.42 scraping the test exporter every second:
 * node usage for all nodes, pod usage for one node, freshness as Prometheus really keeps it
 * (staleness markers for vanished plain series, lingering samples for timestamped ones),
 * configured queries (including one long enough to be POSTed), and Prometheus down.
 *
 * Two exporters: `kubelet` timestamps cAdvisor series as the kubelet does; `relay` timestamps
 * everything, like a federated source, so a node it stops reporting keeps an ageing sample.
 * Polls carry deadlines: real components take real scrape intervals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createPrometheusClient, type PrometheusClient } from '../../src/prometheus/client.ts';
import { createUsageReader, type UsageReader } from '../../src/prometheus/usage.ts';
import { startExporter, type TestExporter } from '../stack/exporter.ts';
import { startPrometheus, type TestPrometheus } from '../stack/prometheus.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const MAX_AGE = 3;

let kubelet: TestExporter;
let relay: TestExporter;
let prom: TestPrometheus;
let client: PrometheusClient;
let reader: UsageReader;

/** Calls `read` until `done` accepts its value or `ms` pass; returns the last value. */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await delay(200);
  }
}

before(async () => {
  kubelet = await startExporter();
  relay = await startExporter({ explicitTimestamps: 'all' });
  kubelet.setNodeMemory('worker-1', 16 * GiB, 12 * GiB);
  kubelet.setNodeMemory('worker-2', 16 * GiB, 4 * GiB);
  kubelet.setNodeMemory('worker-3', 8 * GiB, 1 * GiB);
  kubelet.setPodMemory('shop', 'web-1', 'worker-1', { app: 1 * GiB, sidecar: 100 * MiB });
  kubelet.setPodMemory('shop', 'web-2', 'worker-1', 512 * MiB);
  kubelet.setPodMemory('batch', 'job-1', 'worker-1', 2 * GiB);
  kubelet.setPodMemory('shop', 'web-3', 'worker-2', 300 * MiB);
  relay.setNodeMemory('edge-1', 8 * GiB, 2 * GiB);
  relay.setNodeMemory('edge-2', 8 * GiB, 3 * GiB);
  prom = await startPrometheus({ scrapeTargets: [kubelet.target, relay.target] });
  console.log(`# prometheus ready and scraped in ${prom.startupMs} ms`);
  client = createPrometheusClient({ url: prom.url, timeoutSeconds: 5 });
  reader = createUsageReader(client, { max_sample_age: MAX_AGE, queries: {} });
});

after(async () => {
  await client?.close();
  await prom?.stop();
  await kubelet?.stop();
  await relay?.stop();
});

describe('usage from a real Prometheus', () => {
  it('node usage for all nodes in bytes, from one query', async () => {
    const r = await reader.nodes();
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.nodes, { 'worker-1': 12 * GiB, 'worker-2': 4 * GiB, 'worker-3': 1 * GiB, 'edge-1': 2 * GiB, 'edge-2': 3 * GiB });
    assert.ok(r.newestSampleAgeSeconds >= 0 && r.newestSampleAgeSeconds <= MAX_AGE, String(r.newestSampleAgeSeconds));
    assert.deepEqual(r.dropped, []);
  });

  it('pod usage for one node: containers summed, cgroup series and other nodes left out', async () => {
    const r = await reader.pods('worker-1');
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.pods, { 'shop/web-1': 1 * GiB + 100 * MiB, 'shop/web-2': 512 * MiB, 'batch/job-1': 2 * GiB });
  });

  it('one node follows a change at the next scrape', async () => {
    kubelet.setNodeMemory('worker-1', 16 * GiB, 14 * GiB);
    const r = await eventually(() => reader.node('worker-1'), (v) => v.ok && v.usedBytes === 14 * GiB);
    assert.ok(r.ok && r.usedBytes === 14 * GiB, JSON.stringify(r));
  });

  it('a node the relay stops serving, or freezes, goes stale: no fresh data, saying how old', async () => {
    relay.removeNode('edge-1');
    relay.freezeNode('edge-2');
    const one = await eventually(() => reader.node('edge-1'), (v) => !v.ok);
    assert.equal(!one.ok && one.kind, 'stale', JSON.stringify(one));
    assert.match(!one.ok ? one.message : '', /node_usage for edge-1: newest sample \d+ s old \(max 3 s\)/);
    const all = await eventually(() => reader.nodes(), (v) => v.ok && v.dropped.length === 2);
    assert.ok(all.ok, JSON.stringify(all));
    assert.deepEqual(Object.keys(all.nodes).sort(), ['worker-1', 'worker-2', 'worker-3']);
    assert.deepEqual(all.dropped.map((d) => [d.key, d.reason]).sort(), [['edge-1', 'stale'], ['edge-2', 'stale']]);
  });

  it('a node-exporter series that vanishes is marked stale by Prometheus: the node is missing', async () => {
    kubelet.removeNode('worker-3');
    const r = await eventually(() => reader.node('worker-3'), (v) => !v.ok);
    assert.equal(!r.ok && r.kind, 'missing', JSON.stringify(r));
    assert.match(!r.ok ? r.message : '', /no series for node worker-3/);
  });

  it("a deleted pod's timestamped cAdvisor series lingers, and is dropped once older than max_sample_age", async () => {
    kubelet.removePod('batch', 'job-1');
    const scraped = kubelet.scrapes();
    await eventually(async () => kubelet.scrapes(), (n) => n >= scraped + 2);
    // Two scrapes without it, and Prometheus 2.42 still answers with it: no staleness marker.
    const lingering = await client.query('count(container_memory_working_set_bytes{pod="job-1", container!=""})');
    assert.ok(lingering.ok && lingering.resultType === 'vector', JSON.stringify(lingering));
    assert.equal(lingering.samples[0]?.value, 1);
    const r = await eventually(() => reader.pods('worker-1'), (v) => v.ok && v.dropped.length > 0);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.pods, { 'shop/web-1': 1 * GiB + 100 * MiB, 'shop/web-2': 512 * MiB });
    assert.deepEqual(r.dropped.map((d) => [d.key, d.reason]), [['batch/job-1', 'stale']]);
  });

  it('configured queries: $node filled, a long one POSTed, freshness checked per selector', async () => {
    const padding = `# ${'x'.repeat(1600)}\n`;
    const custom = createUsageReader(client, {
      max_sample_age: MAX_AGE,
      queries: {
        node_usage: 'sum by (node) (label_replace(node_memory_MemTotal_bytes{instance=~"worker-.*"} - node_memory_MemAvailable_bytes, "node", "$1", "instance", "(.*)"))',
        pod_usage: `${padding}sum by (namespace, pod) (container_memory_working_set_bytes{container!="", node="$node"})`,
      },
    });
    const pods = await custom.pods('worker-2');
    assert.ok(pods.ok, JSON.stringify(pods));
    assert.deepEqual(pods.pods, { 'shop/web-3': 300 * MiB });
    const nodes = await custom.nodes();
    assert.ok(nodes.ok, JSON.stringify(nodes));
    assert.deepEqual(nodes.nodes, { 'worker-1': 14 * GiB, 'worker-2': 4 * GiB });
  });

  it('a configured query reading a stale source fails, naming the selector', async () => {
    const custom = createUsageReader(client, {
      max_sample_age: MAX_AGE,
      queries: { node_usage: 'sum by (node) (label_replace(node_memory_MemAvailable_bytes{instance="edge-2"}, "node", "$1", "instance", "(.*)"))' },
    });
    const r = await custom.node('edge-2');
    assert.equal(!r.ok && r.kind, 'stale', JSON.stringify(r));
    assert.match(!r.ok ? r.message : '', /node_memory_MemAvailable_bytes\{instance="edge-2"\}: newest sample \d+ s old/);
  });

  it('a sub-second timeout is a timeout Prometheus accepts', async () => {
    const quick = createPrometheusClient({ url: prom.url, timeoutSeconds: 0.5 });
    try {
      const r = await quick.query('count(up)');
      assert.ok(r.ok && r.resultType === 'vector', JSON.stringify(r));
    } finally {
      await quick.close();
    }
  });

  it('Prometheus down: an unreachable failure value, no throw', async () => {
    await prom.stop();
    const r = await reader.nodes();
    assert.equal(!r.ok && r.kind, 'unreachable', JSON.stringify(r));
    assert.match(!r.ok ? r.message : '', /node_usage: Prometheus at http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED/);
  });
});
