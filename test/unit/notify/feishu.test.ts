/**
 * Feishu/Lark custom bot, played by a loopback server that verifies the signature the way
 * Feishu documents it: key = `timestamp\nsecret`, empty message, base64 HMAC-SHA256.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { DRAIN_MS, AT, alertOf, counted, delivery, evictionEvent, harness, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const SECRET = 'Fs3cr3t-飞书';
const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));
const OK = '{"code":0,"data":{},"msg":"success"}';

async function setup(extra: Record<string, unknown> = {}, reply?: Parameters<typeof startVendor>[0]) {
  const vendor = await startVendor(reply ?? (() => ({ status: 200, body: OK })));
  vendors.push(vendor);
  return { vendor, ...harness({ feishu: { url: `${vendor.base}/open-apis/bot/v2/hook/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`, secret: SECRET, ...extra } }) };
}

function verify(body: { timestamp: string; sign: string }): boolean {
  return createHmac('sha256', `${body.timestamp}\n${SECRET}`).update(Buffer.alloc(0)).digest('base64') === body.sign;
}

describe('feishu', () => {
  it('sends a signed interactive card, exactly', async () => {
    const { vendor, notifier, clock, metrics } = await setup();
    notifier.notify({ type: 'dependency-failing', priority: 'critical', which: 'prometheus', message: 'GET /api/v1/query: connect ECONNREFUSED', at: AT });
    await waitFor(() => vendor.requests.length === 1);
    const body = JSON.parse(vendor.requests[0]?.body ?? '') as { timestamp: string; sign: string };
    assert.equal(verify(body), true);
    assert.equal(body.timestamp, String(clock.now() / 1000));
    assert.deepEqual(body, {
      timestamp: body.timestamp,
      sign: body.sign,
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { title: { tag: 'plain_text', content: '[CRITICAL] Prometheus is failing: headroom cannot act safely' }, template: 'red' },
        elements: [{ tag: 'div', text: { tag: 'lark_md', content: `- **Dependency:** Prometheus\n\nGET /api/v1/query: connect ECONNREFUSED\n\n> headroom · ${AT}` } }],
      },
    });
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'feishu', 'sent'), 1);
  });

  it('sends text when configured, with <at> mentions on escalation and Chinese names intact', async () => {
    const { vendor, notifier } = await setup({ format: 'text', mention: ['all', 'ou_7d8a6e6df7621556ce0d21922b676706ccs'] });
    notifier.notify(alertOf(delivery('escalated', 'critical', 'firing', 3)));
    await waitFor(() => vendor.requests.length === 1);
    const body = JSON.parse(vendor.requests[0]?.body ?? '') as { timestamp: string; sign: string; msg_type: string; content: { text: string } };
    assert.equal(verify(body), true);
    assert.equal(body.msg_type, 'text');
    assert.equal(
      body.content.text,
      [
        '[CRITICAL] Escalated: NodeMemoryPressureCritical on 节点-1',
        '',
        'Alert: NodeMemoryPressureCritical',
        'Node: 节点-1',
        'Status: escalated',
        'Priority: critical',
        'Seen: 3 times in a row',
        'Since: 2026-11-27T11:58:00Z',
        '',
        '节点-1 memory at 95%',
        '',
        `headroom · ${AT}`,
        '<at user_id="all">all</at> <at user_id="ou_7d8a6e6df7621556ce0d21922b676706ccs"></at>',
      ].join('\n'),
    );
    await notifier.close(DRAIN_MS);
  });

  it('retries code 11232 (rate limited) and fails on 19021 (bad signature) without retrying', async () => {
    const answers = ['{"code":11232,"msg":"frequency limited"}', OK, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}'];
    const { vendor, notifier, metrics } = await setup({}, (_r, i) => ({ status: 200, body: answers[i] ?? OK }));
    notifier.notify(evictionEvent());
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 3);
    await notifier.close(DRAIN_MS);
    assert.deepEqual([await counted(metrics, 'feishu', 'retried'), await counted(metrics, 'feishu', 'sent'), await counted(metrics, 'feishu', 'failed')], [1, 1, 1]);
  });
});
