/** Microsoft Teams Workflows webhook, played by a loopback server answering 202 like Workflows. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DRAIN_MS, AT, alertOf, counted, delivery, harness, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

async function setup(extra: Record<string, unknown> = {}) {
  const vendor = await startVendor(() => ({ status: 202 }));
  vendors.push(vendor);
  const url = `${vendor.base}/workflows/a1b2/triggers/manual/paths/invoke?api-version=1&sig=Zm9vYmFyYmF6cXV4cXV1eA`;
  return { vendor, ...harness({ teams: { url, ...extra } }) };
}

describe('teams', () => {
  it('posts a message with one Adaptive Card, exactly, and counts a 202 as sent', async () => {
    const { vendor, notifier, metrics } = await setup();
    notifier.notify({ type: 'eviction-skipped', priority: 'warning', node: '节点-1', reason: 'node in cooldown for 42 s', at: AT });
    await waitFor(() => vendor.requests.length === 1);
    assert.deepEqual(JSON.parse(vendor.requests[0]?.body ?? ''), {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: '[WARNING] Eviction skipped on 节点-1', weight: 'Bolder', size: 'Medium', color: 'Warning', wrap: true },
              { type: 'FactSet', facts: [{ title: 'Node', value: '节点-1' }, { title: 'Reason', value: 'node in cooldown for 42 s' }] },
              { type: 'TextBlock', text: `headroom · ${AT}`, wrap: true, isSubtle: true, size: 'Small' },
            ],
            msteams: { width: 'Full' },
          },
        },
      ],
    });
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'teams', 'sent'), 1);
  });

  it('mentions users through msteams.entities when escalated', async () => {
    const { vendor, notifier } = await setup({ mention: ['oncall@example.com'] });
    notifier.notify(alertOf(delivery('escalated', 'critical', 'firing', 3)));
    await waitFor(() => vendor.requests.length === 1);
    const card = (JSON.parse(vendor.requests[0]?.body ?? '') as { attachments: Array<{ content: { body: Array<{ text?: string }>; msteams: unknown } }> }).attachments[0]?.content;
    assert.deepEqual(card?.msteams, { width: 'Full', entities: [{ type: 'mention', text: '<at>oncall@example.com</at>', mentioned: { id: 'oncall@example.com', name: 'oncall@example.com' } }] });
    assert.equal(card?.body.at(-1)?.text, '<at>oncall@example.com</at>');
    await notifier.close(DRAIN_MS);
  });
});
