/**
 * The generic webhook: the documented version-1 body, bearer token, and a signature a receiver
 * verifies from the raw body and the timestamp header.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { alertEvent } from '../../../src/notify/events.ts';
import { DRAIN_MS, AT, counted, delivery, evictionEvent, harness, startVendor, waitFor, type Captured, type FakeVendor } from './helpers.ts';

const SECRET = 'whsec-0123456789';
const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

async function setup(reply?: Parameters<typeof startVendor>[0], extra: Record<string, unknown> = {}) {
  const vendor = await startVendor(reply ?? (() => ({ status: 204 })));
  vendors.push(vendor);
  return { vendor, ...harness({ webhook: { url: `${vendor.base}/hooks/headroom`, secret: SECRET, bearer_token: 'tkn-abcdefgh', min_priority: 'info', ...extra } }) };
}

/** What a receiver does: HMAC-SHA256(secret, `${timestamp}.${raw body}`), compared in constant time. */
function verify(req: Captured): boolean {
  const ts = String(req.headers['x-headroom-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.body}`).digest('hex')}`);
  const got = Buffer.from(String(req.headers['x-headroom-signature']));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('generic webhook', () => {
  it('sends the version-1 body with bearer token and a verifiable signature', async () => {
    const { vendor, notifier, clock, metrics } = await setup();
    notifier.notify(evictionEvent({ mode: 'dry-run' }));
    await waitFor(() => vendor.requests.length === 1);
    const req = vendor.requests[0]!;
    assert.equal(verify(req), true);
    assert.equal(req.headers.authorization, 'Bearer tkn-abcdefgh');
    assert.equal(req.headers['x-headroom-timestamp'], String(clock.now() / 1000));
    assert.equal(req.headers['x-headroom-event'], 'eviction-executed');
    const body = JSON.parse(req.body) as Record<string, unknown>;
    assert.equal(req.headers['x-headroom-delivery'], body.id);
    assert.deepEqual(body, {
      version: '1',
      id: body.id,
      event: 'eviction-executed',
      priority: 'critical',
      node: '节点-1',
      cluster: '生产',
      at: AT,
      title: '[CRITICAL] Dry run on 节点-1: 1 of 2 pods would be evicted',
      mode: 'dry-run',
      usage: 95,
      projectedUsage: 78.5,
      target: 80,
      counts: { evicted: 1, pdbRefused: 1, gone: 0, failed: 0 },
      outcomes: [
        { namespace: 'payments', name: '支付-7d9f', outcome: 'evicted', score: 71.3 },
        { namespace: 'web', name: 'frontend-abc', outcome: 'pdb-refused', score: 60, message: "Cannot evict pod as it would violate the pod's disruption budget." },
      ],
      omitted: 0,
    });
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'webhook', 'sent'), 1);
  });

  it('describes an alert with its status, labels and annotations; a tampered body fails verification', async () => {
    const { vendor, notifier } = await setup();
    const event = alertEvent(delivery('escalated', 'critical', 'firing', 3), AT, 'prod');
    assert.ok(event !== null);
    notifier.notify(event);
    await waitFor(() => vendor.requests.length === 1);
    const req = vendor.requests[0]!;
    const body = JSON.parse(req.body) as Record<string, unknown>;
    assert.equal(body.status, 'escalated');
    assert.equal(body.cluster, 'prod');
    assert.deepEqual(body.alert, {
      name: 'NodeMemoryPressureCritical',
      fingerprint: 'a1b2c3',
      count: 3,
      labels: { alertname: 'NodeMemoryPressureCritical', node: '节点-1', severity: 'critical' },
      annotations: { summary: '节点-1 memory at 95%' },
      startsAt: '2026-11-27T11:58:00Z',
      endsAt: null,
      generatorURL: 'http://prometheus:9090/graph',
      wantsEviction: true,
    });
    assert.equal(verify({ ...req, body: req.body.replace('节点-1', '节点-2') }), false);
    await notifier.close(DRAIN_MS);
  });

  it('keeps one delivery id across retries, re-signing each attempt', async () => {
    const { vendor, notifier } = await setup((_r, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '5' } } : { status: 200 }));
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 2);
    const [a, b] = vendor.requests;
    assert.equal(a?.headers['x-headroom-delivery'], b?.headers['x-headroom-delivery']);
    assert.ok(a !== undefined && b !== undefined && verify(a) && verify(b));
    assert.equal(Number(b.headers['x-headroom-timestamp']) - Number(a.headers['x-headroom-timestamp']), 5, 'the 503 asked for 5 s');
    await notifier.close(DRAIN_MS);
  });

  it('sends no signature or authorization headers when neither is configured', async () => {
    const vendor = await startVendor(() => ({ status: 200 }));
    vendors.push(vendor);
    const { notifier } = harness({ webhook: { url: `${vendor.base}/h`, min_priority: 'info' } });
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 1);
    assert.equal(vendor.requests[0]?.headers.authorization, undefined);
    assert.equal(vendor.requests[0]?.headers['x-headroom-signature'], undefined);
    await notifier.close(DRAIN_MS);
  });
});
