/**
 * Vendor rate limits held under a burst of 200 events, measured on the fake clock at the moment
 * each request reaches the loopback vendor: never more than N in any window.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createRateLimiter } from '../../../src/notify/rate-limit.ts';
import { DRAIN_MS, counted, evictionEvent, fakeClock, harness, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

/** The smallest span covering `limit + 1` consecutive sends; it must exceed the window. */
function tightestSpan(times: readonly number[], limit: number): number {
  let min = Infinity;
  for (let i = 0; i + limit < times.length; i++) min = Math.min(min, (times[i + limit] ?? 0) - (times[i] ?? 0));
  return min;
}

const OK = { status: 200, body: '{"errcode":0,"code":0}' };

async function burst(channel: string, extra: Record<string, unknown>, n = 200) {
  const clock = fakeClock();
  const vendor = await startVendor(() => OK, clock);
  vendors.push(vendor);
  const h = harness({ [channel]: { url: `${vendor.base}/x`, min_priority: 'info', ...extra } }, {}, clock);
  const start = clock.now();
  for (let i = 0; i < n; i++) h.notifier.notify(evictionEvent({ node: `n${i}` }));
  return { vendor, ...h, start };
}

describe('rate limits', () => {
  it('the limiter alone: 200 acquisitions at 20 a minute', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perMinute: 20 }, clock.now, clock.sleep);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      await limiter.acquire(new AbortController().signal);
      times.push(clock.now());
    }
    assert.ok(tightestSpan(times, 20) >= 60_000);
    assert.equal(times.slice(0, 20).every((t) => t === times[0]), true, 'the first 20 go at once');
  });

  it('DingTalk: a burst of 200 goes out at most 20 a minute, all delivered with a large enough queue', async () => {
    const { vendor, notifier, metrics, clock, start } = await burst('dingtalk', { queue_size: 200 });
    await waitFor(() => vendor.requests.length === 200, 10_000);
    await notifier.close(DRAIN_MS);
    const times = vendor.requests.map((r) => r.at);
    assert.ok(tightestSpan(times, 20) >= 60_000, `21 sends within ${tightestSpan(times, 20)} ms`);
    assert.ok(clock.now() - start >= 9 * 60_000, 'ten batches of 20 take over nine minutes');
    assert.deepEqual(vendor.requests.map((r) => (JSON.parse(r.body) as { markdown: { title: string } }).markdown.title.split(' on ')[1]), Array.from({ length: 200 }, (_, i) => `n${i}`));
    assert.equal(await counted(metrics, 'dingtalk', 'sent'), 200);
  });

  it('DingTalk with the default queue of 100: the burst is cut, not delayed forever, and every drop is counted', async () => {
    const { vendor, notifier, metrics } = await burst('dingtalk', {});
    await notifier.close(10_000);
    const sent = await counted(metrics, 'dingtalk', 'sent');
    const dropped = await counted(metrics, 'dingtalk', 'dropped');
    assert.equal(sent + dropped, 200);
    assert.equal(vendor.requests.length, sent);
    assert.ok(sent >= 100 && dropped >= 99);
    assert.match(vendor.requests.at(-1)?.body ?? '', /on n199/, 'the newest is kept');
    assert.ok(tightestSpan(vendor.requests.map((r) => r.at), 20) >= 60_000);
  });

  it('WeCom: 20 a minute', async () => {
    const { vendor, notifier } = await burst('wecom', { queue_size: 200 });
    await waitFor(() => vendor.requests.length === 200, 10_000);
    await notifier.close(DRAIN_MS);
    assert.ok(tightestSpan(vendor.requests.map((r) => r.at), 20) >= 60_000);
  });

  it('Slack: one a second', async () => {
    const { vendor, notifier } = await burst('slack', { queue_size: 200 });
    await waitFor(() => vendor.requests.length === 200, 10_000);
    await notifier.close(DRAIN_MS);
    assert.ok(tightestSpan(vendor.requests.map((r) => r.at), 1) >= 1000);
  });

  it('Feishu: 5 a second and 100 a minute', async () => {
    const { vendor, notifier } = await burst('feishu', { queue_size: 200 });
    await waitFor(() => vendor.requests.length === 200, 10_000);
    await notifier.close(DRAIN_MS);
    const times = vendor.requests.map((r) => r.at);
    assert.ok(tightestSpan(times, 5) >= 1000);
    assert.ok(tightestSpan(times, 100) >= 60_000);
  });

  it('Teams: two a second', async () => {
    const { vendor, notifier } = await burst('teams', { queue_size: 200 });
    await waitFor(() => vendor.requests.length === 200, 10_000);
    await notifier.close(DRAIN_MS);
    assert.ok(tightestSpan(vendor.requests.map((r) => r.at), 2) >= 1000);
  });

  it('a 429 with Retry-After holds the channel for that long', async () => {
    const clock = fakeClock();
    const vendor = await startVendor((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '10' } } : { status: 200 }), clock);
    vendors.push(vendor);
    const { notifier } = harness({ webhook: { url: `${vendor.base}/h`, min_priority: 'info' } }, {}, clock);
    notifier.notify(evictionEvent());
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 3);
    await notifier.close(DRAIN_MS);
    const [first, retry, next] = vendor.requests.map((r) => r.at);
    assert.ok(retry !== undefined && first !== undefined && next !== undefined);
    assert.equal(retry - first, 10_000);
    assert.ok(next >= retry);
  });
});
