/** WeCom group robot, played by a loopback server answering with WeCom's `errcode` bodies. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WECOM_CONTENT_BYTES } from '../../../src/notify/render/wecom.ts';
import { DRAIN_MS, AT, alertOf, counted, delivery, evictionEvent, harness, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));
const OK = '{"errcode":0,"errmsg":"ok"}';

async function setup(extra: Record<string, unknown> = {}, reply?: Parameters<typeof startVendor>[0]) {
  const vendor = await startVendor(reply ?? (() => ({ status: 200, body: OK })));
  vendors.push(vendor);
  return { vendor, ...harness({ wecom: { url: `${vendor.base}/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa`, ...extra } }) };
}

describe('wecom', () => {
  it('sends the exact markdown body', async () => {
    const { vendor, notifier } = await setup();
    notifier.notify({ type: 'nothing-evictable', priority: 'warning', node: '节点-1', at: AT, protected: [{ namespace: 'kube-system', name: 'coredns-x', reasons: ['protected-namespace', 'critical-priority'] }] });
    await waitFor(() => vendor.requests.length === 1);
    assert.deepEqual(JSON.parse(vendor.requests[0]?.body ?? ''), {
      msgtype: 'markdown',
      markdown: {
        content: [
          '<font color="warning">**[WARNING] Nothing evictable on 节点-1**</font>',
          '',
          '- **Node:** 节点-1',
          '- **Protected pods:** 1',
          '',
          '**Protected pods**',
          '',
          '- kube-system/coredns-x: protected-namespace, critical-priority',
          '',
          `> headroom · ${AT}`,
        ].join('\n'),
      },
    });
    await notifier.close(DRAIN_MS);
  });

  it('mentions user ids with <@userid> when escalated; alert text cannot forge a mention', async () => {
    const { vendor, notifier } = await setup({ mention: ['zhangsan', 'all'] });
    const d = delivery('escalated', 'critical', 'firing', 3);
    notifier.notify(alertOf({ ...d, alert: { ...d.alert, annotations: { summary: 'call <@lisi>' } } }));
    await waitFor(() => vendor.requests.length === 1);
    const content = (JSON.parse(vendor.requests[0]?.body ?? '') as { markdown: { content: string } }).markdown.content;
    assert.match(content, /\n\n<@zhangsan>$/);
    assert.match(content, /call ‹@lisi›/);
    await notifier.close(DRAIN_MS);
  });

  it('keeps an oversized plan under 4,096 content bytes, saying how many pods were left out', async () => {
    const { vendor, notifier } = await setup();
    const outcomes = Array.from({ length: 100 }, (_, i) => ({ namespace: '支付', name: `支付-服务-${i}`, outcome: 'evicted' as const, score: 50 }));
    notifier.notify(evictionEvent({ outcomes }));
    await waitFor(() => vendor.requests.length === 1);
    const content = (JSON.parse(vendor.requests[0]?.body ?? '') as { markdown: { content: string } }).markdown.content;
    assert.ok(Buffer.byteLength(content) <= WECOM_CONTENT_BYTES, `${Buffer.byteLength(content)} bytes`);
    assert.match(content, /- \*\*Outcomes:\*\* 100 evicted, 0 refused by PDB/);
    const listed = content.split('\n').filter((l) => l.startsWith('- 支付/')).length;
    assert.ok(listed > 0 && listed < 100);
    assert.match(content, new RegExp(`\\*${100 - listed} more lines not listed`));
    await notifier.close(DRAIN_MS);
  });

  it('retries errcode 45009 (rate limit) and fails on 93000 (bad key) without retrying', async () => {
    const answers = ['{"errcode":45009,"errmsg":"api freq out of limit"}', OK, '{"errcode":93000,"errmsg":"invalid webhook url"}'];
    const { vendor, notifier, metrics } = await setup({}, (_r, i) => ({ status: 200, body: answers[i] ?? OK }));
    notifier.notify(evictionEvent());
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 3);
    await notifier.close(DRAIN_MS);
    assert.deepEqual([await counted(metrics, 'wecom', 'retried'), await counted(metrics, 'wecom', 'sent'), await counted(metrics, 'wecom', 'failed')], [1, 1, 1]);
  });
});
