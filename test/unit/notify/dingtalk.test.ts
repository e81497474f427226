/**
 * DingTalk custom robot, played by a loopback server that checks the signature the way DingTalk
 * documents it and answers with DingTalk's `errcode` bodies.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { DRAIN_MS, AT, alertOf, counted, delivery, evictionEvent, harness, startVendor, waitFor, type Captured, type FakeVendor } from './helpers.ts';

const SECRET = 'SEC0123456789abcdef';
const TOKEN = 'a1b2c3d4e5f6a7b8c9d0';
const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

/** What DingTalk's server does: recompute sign from timestamp and the robot's secret. */
function verifySignature(req: Captured): { timestamp: number; ok: boolean } {
  const url = new URL(req.url, 'http://x');
  const timestamp = Number(url.searchParams.get('timestamp'));
  const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
  return { timestamp, ok: url.searchParams.get('sign') === expected && url.searchParams.get('access_token') === TOKEN };
}

async function setup(reply?: Parameters<typeof startVendor>[0], extra: Record<string, unknown> = {}) {
  const vendor = await startVendor(reply ?? (() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' })));
  vendors.push(vendor);
  const h = harness({ dingtalk: { url: `${vendor.base}/robot/send?access_token=${TOKEN}`, secret: SECRET, min_priority: 'info', ...extra } });
  return { vendor, ...h };
}

describe('dingtalk', () => {
  it('sends the exact markdown body, signed, with Chinese names intact', async () => {
    const { vendor, notifier, clock, metrics } = await setup();
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 1);
    const req = vendor.requests[0]!;
    const sig = verifySignature(req);
    assert.equal(sig.ok, true);
    assert.equal(sig.timestamp, clock.now());
    assert.equal(req.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(req.body), {
      msgtype: 'markdown',
      markdown: {
        title: '[CRITICAL] Evicted 1 of 2 pods on 节点-1',
        text: [
          '### [CRITICAL] Evicted 1 of 2 pods on 节点-1',
          '',
          '- **Node:** 节点-1',
          '- **Cluster:** 生产',
          '- **Mode:** enforce',
          '- **Memory:** 95.0% now, 78.5% projected, target 80%',
          '- **Outcomes:** 1 evicted, 1 refused by PDB, 0 gone, 0 failed',
          '',
          '**Pods**',
          '',
          '- payments/支付-7d9f: evicted (score 71.3)',
          "- web/frontend-abc: refused by PDB (score 60.0) - Cannot evict pod as it would violate the pod's disruption budget.",
          '',
          `> headroom · 生产 · ${AT}`,
        ].join('\n'),
      },
      at: { atMobiles: [], atUserIds: [], isAtAll: false },
    });
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'dingtalk', 'sent'), 1);
  });

  it('mentions people on an escalated alert, and nobody on the first firing or the resolution', async () => {
    const { vendor, notifier } = await setup(undefined, { mention: ['all', 'user-7'], mention_mobiles: ['13800000000'] });
    notifier.notify(alertOf(delivery('sent', 'warning')));
    notifier.notify(alertOf(delivery('escalated', 'critical', 'firing', 3)));
    notifier.notify(alertOf(delivery('sent', 'critical', 'resolved')));
    await waitFor(() => vendor.requests.length === 3);
    const [first, escalated, resolved] = vendor.requests.map((r) => JSON.parse(r.body) as { markdown: { title: string; text: string }; at: unknown });
    assert.deepEqual(first?.at, { atMobiles: [], atUserIds: [], isAtAll: false });
    assert.deepEqual(escalated?.at, { atMobiles: ['13800000000'], atUserIds: ['user-7'], isAtAll: true });
    assert.equal(escalated?.markdown.title, '[CRITICAL] Escalated: NodeMemoryPressureCritical on 节点-1');
    assert.match(escalated?.markdown.text ?? '', /\n\n@13800000000 @user-7$/);
    assert.match(escalated?.markdown.text ?? '', /- \*\*Seen:\*\* 3 times in a row/);
    assert.deepEqual(resolved?.at, { atMobiles: [], atUserIds: [], isAtAll: false });
    assert.equal(resolved?.markdown.title, '[RESOLVED] NodeMemoryPressureCritical on 节点-1');
    await notifier.close(DRAIN_MS);
  });

  it('retries errcode 130101 (send too fast) and gives up on other errcodes without retrying', async () => {
    const answers = ['{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}', '{"errcode":0,"errmsg":"ok"}', '{"errcode":310000,"errmsg":"sign not match"}'];
    const { vendor, notifier, metrics, clock, logger } = await setup((_r, i) => ({ status: 200, body: answers[i] ?? '' }));
    notifier.notify(evictionEvent());
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 3);
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'dingtalk', 'retried'), 1);
    assert.equal(await counted(metrics, 'dingtalk', 'sent'), 1);
    assert.equal(await counted(metrics, 'dingtalk', 'failed'), 1);
    assert.deepEqual(clock.sleeps, [750], 'one back-off: 1 s x jitter 0.75');
    const failure = logger.lines.find((l) => l.fields.event === 'notification-failed');
    assert.equal(failure?.fields.reason, 'errcode 310000: sign not match');
  });

  it('never logs the access token or the secret', async () => {
    const { vendor, notifier, logger } = await setup(() => ({ status: 400, body: `bad token ${TOKEN} in /robot/send?access_token=${TOKEN}` }));
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 1);
    await notifier.close(DRAIN_MS);
    const logged = JSON.stringify(logger.lines);
    assert.match(logged, /notification-failed/);
    assert.match(logged, /"host":"127\.0\.0\.1:\d+"/);
    assert.doesNotMatch(logged, new RegExp(`${TOKEN}|SEC0123|sign=`));
  });
});
