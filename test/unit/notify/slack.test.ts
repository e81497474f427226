/** Slack incoming webhook, played by a loopback server answering like Slack (`ok`, 4xx text). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DRAIN_MS, AT, alertOf, counted, delivery, evictionEvent, harness, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

async function setup(extra: Record<string, unknown> = {}, reply?: Parameters<typeof startVendor>[0]) {
  const vendor = await startVendor(reply ?? (() => ({ status: 200, body: 'ok' })));
  vendors.push(vendor);
  return { vendor, ...harness({ slack: { url: `${vendor.base}/services/T0/B0/abcdefghijklmnopqrstuvwx`, ...extra } }) };
}

describe('slack', () => {
  it('sends text plus Block Kit blocks, exactly', async () => {
    const { vendor, notifier, metrics } = await setup();
    notifier.notify(evictionEvent({ outcomes: [{ namespace: 'payments', name: '支付-7d9f', outcome: 'evicted', score: 71.2, reasons: ['qos=BestEffort'] }] }));
    await waitFor(() => vendor.requests.length === 1);
    assert.equal(vendor.requests[0]?.url, '/services/T0/B0/abcdefghijklmnopqrstuvwx');
    assert.deepEqual(JSON.parse(vendor.requests[0]?.body ?? ''), {
      text: '[CRITICAL] Evicted 1 of 1 pod on 节点-1',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[CRITICAL] Evicted 1 of 1 pod on 节点-1', emoji: true } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Node*\n节点-1' },
            { type: 'mrkdwn', text: '*Cluster*\n生产' },
            { type: 'mrkdwn', text: '*Mode*\nenforce' },
            { type: 'mrkdwn', text: '*Memory*\n95.0% now, 78.5% projected, target 80%' },
            { type: 'mrkdwn', text: '*Outcomes*\n1 evicted, 0 refused by PDB, 0 gone, 0 failed' },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*Pods*\n• payments/支付-7d9f: evicted (score 71.2) - qos=BestEffort' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `headroom · 生产 · ${AT}` }] },
      ],
    });
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'slack', 'sent'), 1);
  });

  it('mentions @channel and users when escalated, and escapes alert text so it cannot mention anyone', async () => {
    const { vendor, notifier } = await setup({ mention: ['all', 'U024BE7LH'] });
    const d = delivery('escalated', 'emergency', 'firing', 6);
    const event = alertOf({ ...d, alert: { ...d.alert, annotations: { summary: 'ping <!here> & <@U999>' } } });
    notifier.notify(event);
    await waitFor(() => vendor.requests.length === 1);
    const body = JSON.parse(vendor.requests[0]?.body ?? '') as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    assert.equal(body.text, '[EMERGENCY] Escalated: NodeMemoryPressureCritical on 节点-1 <!channel> <@U024BE7LH>');
    assert.deepEqual(body.blocks[1], { type: 'section', text: { type: 'mrkdwn', text: '<!channel> <@U024BE7LH>' } });
    assert.deepEqual(body.blocks[3], { type: 'section', text: { type: 'mrkdwn', text: 'ping &lt;!here&gt; &amp; &lt;@U999&gt;' } });
    await notifier.close(DRAIN_MS);
  });

  it('does not retry a 400 (invalid_blocks) and counts it failed', async () => {
    const { vendor, notifier, metrics, clock } = await setup({}, () => ({ status: 400, body: 'invalid_blocks' }));
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 1);
    await notifier.close(DRAIN_MS);
    assert.equal(vendor.requests.length, 1);
    assert.deepEqual(clock.sleeps, []);
    assert.equal(await counted(metrics, 'slack', 'failed'), 1);
    assert.equal(await counted(metrics, 'slack', 'retried'), 0);
  });
});
