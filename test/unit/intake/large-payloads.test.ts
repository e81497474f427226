import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amPayload, buildTestApp, postWebhook } from '../../helpers/app.ts';

/** A group as Alertmanager sends it in a real incident: node-exporter labels and long annotations. */
function realisticAlerts(count: number): Parameters<typeof amPayload>[0] {
  return Array.from({ length: count }, (_, i) => {
    const host = `ip-10-0-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`;
    return {
      labels: {
        alertname: i % 10 === 0 ? 'NodeMemoryPressureCritical' : 'NodeMemoryPressureWarning',
        severity: i % 10 === 0 ? 'critical' : 'warning',
        ...(i % 10 === 0 ? { headroom_action: 'evict' } : {}),
        instance: `${host}:9100`,
        job: 'node-exporter',
        namespace: 'monitoring',
        pod: `node-exporter-${i.toString(36)}`,
        container: 'node-exporter',
        endpoint: 'https',
        service: 'kube-prometheus-stack-prometheus-node-exporter',
        prometheus: 'monitoring/kube-prometheus-stack-prometheus',
      },
      annotations: {
        summary: `Memory usage on ${host} is above the threshold`,
        description: `Node ${host} has used more than 88% of its memory for more than 2 minutes (current value: ${(88 + (i % 12)).toFixed(2)}%). Pods on this node may be evicted by the kubelet or killed by the kernel OOM killer if usage keeps growing. `.repeat(3),
        runbook_url: 'https://github.com/headroom-dev/headroom#alerts',
      },
    };
  });
}

describe('POST /webhook with the default 16 MiB body limit', () => {
  it('accepts a realistic 4,000-alert group of several MB', async () => {
    const t = buildTestApp();
    const body = JSON.stringify(amPayload(realisticAlerts(4000)));
    assert.ok(body.length > 3 * 1024 * 1024, `payload is only ${body.length} bytes`);
    const res = await postWebhook(t, body);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.deepEqual(res.json<unknown>(), { received: 4000, deduplicated: 0, escalated: 0, queued: 400 });
    await t.queue.idle();
    assert.equal(t.evaluator.requests.length, 400);
    await t.app.close();
  });

  it('refuses a ~17 MiB body with 413 naming the limit, and keeps working', async () => {
    const t = buildTestApp();
    const body = JSON.stringify({ ...amPayload(realisticAlerts(1)), padding: 'x'.repeat(17 * 1024 * 1024) });
    const res = await postWebhook(t, body);
    assert.equal(res.statusCode, 413);
    assert.deepEqual(res.json<unknown>(), { error: 'body-too-large', message: 'request body is larger than the limit of 16777216 bytes (server.body_limit)' });
    assert.equal(t.ledger.size, 0);
    assert.equal((await postWebhook(t, amPayload(realisticAlerts(2)))).statusCode, 200);
    await t.app.close();
  });
});
