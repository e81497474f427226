/**
 * Oversized messages are summarised, never cut: every channel's body stays valid JSON under its
 * limit, keeps the counts, and says how many per-pod lines were left out. Rendering is pure, so
 * these tests call the renderers directly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notificationsSchema } from '../../../src/notify/config-schema.ts';
import type { NotifyEvent } from '../../../src/notify/events.ts';
import { BUILTIN_CHANNELS } from '../../../src/notify/registry.ts';
import { fit } from '../../../src/notify/render/fit.ts';
import type { Message } from '../../../src/notify/render/model.ts';
import { WECOM_CONTENT_BYTES } from '../../../src/notify/render/wecom.ts';
import { AT, alertOf, delivery, evictionEvent } from './helpers.ts';

const config = notificationsSchema.parse(
  Object.fromEntries(['dingtalk', 'slack', 'wecom', 'feishu', 'teams', 'webhook'].map((k) => [k, { url: 'https://example.com/x?token=t', secret: 's3cr3t', mention: ['all', 'u1'] }])),
);
const channels = Object.entries(config).map(([key, c]) => BUILTIN_CHANNELS[key]!.create(c));

const longReason = '内存-'.repeat(100);
const bigPlan = evictionEvent({
  outcomes: Array.from({ length: 400 }, (_, i) => ({ namespace: '支付系统', name: `支付-7d9f-${i}`, outcome: i % 3 === 0 ? ('failed' as const) : ('evicted' as const), score: 50, reasons: [longReason], message: 'the API server said no '.repeat(5) })),
});
const bigProtected: NotifyEvent = { type: 'nothing-evictable', priority: 'critical', node: '节点-1', at: AT, protected: Array.from({ length: 300 }, (_, i) => ({ namespace: 'kube-system', name: `守护-${i}`, reasons: ['protected-namespace', 'daemonset', 'critical-priority', 'pdb'] })) };
const d = delivery('escalated', 'critical', 'firing', 3);
const bigAlert = alertOf({ ...d, alert: { ...d.alert, annotations: { summary: '节点-1', description: '很长的描述。'.repeat(20_000) } } });

function measured(name: string, body: string): number {
  return name === 'wecom' ? Buffer.byteLength((JSON.parse(body) as { markdown: { content: string } }).markdown.content) : Buffer.byteLength(body);
}

describe('summarising oversized messages', () => {
  for (const channel of channels) {
    for (const [label, event] of [['400-pod plan', bigPlan], ['300 protected pods', bigProtected], ['alert with a 360 kB description', bigAlert]] as const) {
      it(`${channel.name}: ${label} stays valid and under the limit`, () => {
        const req = channel.render(event, { now: Date.parse(AT), deliveryId: 'd-1' });
        assert.ok(req !== null);
        const limit = channel.name === 'wecom' ? WECOM_CONTENT_BYTES : channel.limits.maxBytes;
        assert.ok(measured(channel.name, req.body) <= limit, `${measured(channel.name, req.body)} > ${limit}`);
        const body = JSON.parse(req.body) as unknown;
        const text = JSON.stringify(body);
        assert.match(text, /节点-1/);
        if (label === '400-pod plan') {
          assert.match(text, channel.name === 'webhook' ? /"counts":\{"evicted":266,"pdbRefused":0,"gone":0,"failed":134\}/ : /266 evicted, 0 refused by PDB, 0 gone, 134 failed/);
          assert.match(text, channel.name === 'webhook' ? /"omitted":[1-9]/ : /\d+ more lines not listed/);
        }
        if (label === '300 protected pods' && channel.name !== 'webhook') {
          const listed = new Set(text.match(/守护-\d+/g)).size;
          const left = Number(/(\d+) more lines not listed/.exec(text)?.[1] ?? 0);
          assert.equal(listed + left, 300, `${listed} listed + ${left} left out`);
        }
        if (channel.name === 'slack') assert.ok((body as { blocks: unknown[] }).blocks.length <= 50);
      });
    }
  }

  it('the generic webhook counts the entries it left out', () => {
    const webhook = channels.find((c) => c.name === 'webhook')!;
    const body = JSON.parse(webhook.render(bigPlan, { now: 0, deliveryId: 'x' })!.body) as { outcomes: unknown[]; omitted: number };
    assert.equal(body.outcomes.length + body.omitted, 400);
    assert.ok(body.omitted > 0);
  });

  it('fit keeps as many lines as fit, and says how many it left out', () => {
    const m: Message = { title: 't', tone: 'info', facts: [], text: '', itemsLabel: 'Pods', items: Array.from({ length: 10 }, (_, i) => `line-${i}`), omitted: 0, footer: '' };
    const chosen = fit(m, (x) => x, (x) => x.items.length <= 7);
    assert.deepEqual([chosen.items.length, chosen.omitted], [7, 3]);
    const untouched = fit(m, (x) => x, () => true);
    assert.equal(untouched, m);
  });
});
