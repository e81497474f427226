import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadinessCheck } from '../../../src/http/health.ts';
import { createMetrics } from '../../../src/http/metrics.ts';
import { amPayload, buildTestApp, criticalAlert, postWebhook } from '../../helpers/app.ts';

const CONTRACT_METRICS: Array<{ name: string; type: 'counter' | 'histogram' }> = [
  { name: 'headroom_alerts_received_total', type: 'counter' },
  { name: 'headroom_alerts_deduplicated_total', type: 'counter' },
  { name: 'headroom_alerts_escalated_total', type: 'counter' },
  { name: 'headroom_evictions_total', type: 'counter' },
  { name: 'headroom_evaluations_total', type: 'counter' },
  { name: 'headroom_notifications_total', type: 'counter' },
  { name: 'headroom_evaluation_duration_seconds', type: 'histogram' },
];

describe('GET /healthz', () => {
  it('answers 200 while the process serves', async () => {
    const t = buildTestApp({}, { readiness: async () => [{ name: 'prometheus', ok: false, message: 'down' }] });
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json<unknown>(), { status: 'ok' });
    await t.app.close();
  });
});

describe('GET /readyz', () => {
  const table: Array<{ description: string; checks: ReadinessCheck[]; status: number; message: RegExp; absent?: RegExp }> = [
    {
      description: 'all checks pass: 200',
      checks: [
        { name: 'config', ok: true, message: 'loaded' },
        { name: 'prometheus', ok: true, message: 'ready' },
        { name: 'kubernetes', ok: true, message: 'ready' },
      ],
      status: 200,
      message: /all checks pass/,
    },
    {
      description: 'one failing: 503 naming it and why',
      checks: [
        { name: 'config', ok: true, message: 'loaded' },
        { name: 'prometheus', ok: false, message: 'http://prom:9090 unreachable: ECONNREFUSED' },
        { name: 'kubernetes', ok: true, message: 'ready' },
      ],
      status: 503,
      message: /^prometheus: http:\/\/prom:9090 unreachable: ECONNREFUSED$/,
      absent: /kubernetes|config/,
    },
    {
      description: 'two failing: 503 naming each',
      checks: [
        { name: 'config', ok: true, message: 'loaded' },
        { name: 'prometheus', ok: false, message: 'unreachable' },
        { name: 'kubernetes', ok: false, message: 'no Kubernetes config' },
      ],
      status: 503,
      message: /prometheus: unreachable.*kubernetes: no Kubernetes config/,
    },
  ];
  for (const row of table) {
    it(row.description, async () => {
      const t = buildTestApp({}, { readiness: async () => row.checks });
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, row.status);
      const body = res.json<{ status: string; message: string; checks: ReadinessCheck[] }>();
      assert.equal(body.status, row.status === 200 ? 'ready' : 'not-ready');
      assert.match(body.message, row.message);
      if (row.absent) assert.doesNotMatch(body.message, row.absent);
      assert.deepEqual(body.checks, row.checks);
      await t.app.close();
    });
  }

  it('runs the checks on every request, so it recovers when a dependency comes back', async () => {
    let prometheusUp = false;
    const t = buildTestApp({}, { readiness: async () => [{ name: 'prometheus', ok: prometheusUp, message: prometheusUp ? 'ready' : 'down' }] });
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    prometheusUp = true;
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await t.app.close();
  });
});

describe('GET /metrics', () => {
  it('uses the Prometheus text exposition content type', async () => {
    const t = buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    await t.app.close();
  });

  for (const m of CONTRACT_METRICS) {
    it(`exposes ${m.name} (HELP and TYPE ${m.type}) before anything happened`, async () => {
      const t = buildTestApp();
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(text, new RegExp(`^# HELP ${m.name} \\S`, 'm'));
      assert.match(text, new RegExp(`^# TYPE ${m.name} ${m.type}$`, 'm'));
      await t.app.close();
    });
  }

  it('counts a webhook: received{status="firing"} 1 and an evaluation result', async () => {
    const t = buildTestApp();
    await postWebhook(t, amPayload([criticalAlert('worker-1')]));
    await t.queue.idle();
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /^headroom_alerts_received_total\{status="firing"\} 1$/m);
    assert.match(text, /^headroom_alerts_deduplicated_total 0$/m);
    assert.match(text, /^headroom_alerts_escalated_total 0$/m);
    assert.match(text, /^headroom_evaluations_total\{result="nothing-to-do"\} 1$/m);
    assert.match(text, /^headroom_evaluation_duration_seconds_count 1$/m);
    await t.app.close();
  });

  it('shows labelled counters of other parts once they are incremented', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.evictions.inc({ mode: 'dry-run', result: 'evicted' });
    metrics.notifications.inc({ channel: 'slack', result: 'sent' });
    const text = await metrics.registry.metrics();
    assert.match(text, /^headroom_evictions_total\{mode="dry-run",result="evicted"\} 1$/m);
    assert.match(text, /^headroom_notifications_total\{channel="slack",result="sent"\} 1$/m);
  });

  it('adds the default process metrics when asked, and each app has its own registry', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.alertsDeduplicated.inc();
    const text = await a.registry.metrics();
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_heap_size_used_bytes /m);
    assert.match(await b.registry.metrics(), /^headroom_alerts_deduplicated_total 0$/m);
  });

  it('leaves the process metrics out when not asked', async () => {
    const text = await createMetrics({ processMetrics: false }).registry.metrics();
    assert.doesNotMatch(text, /^process_/m);
  });
});
