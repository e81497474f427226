/**
 * The notifier as the rest of headroom sees it: priority filtering per channel, duplicates never
 * sent, a hanging channel that delays nobody else, a bounded queue, a bounded shutdown, and a
 * `notify` that neither throws nor waits.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { PRIORITIES } from '../../../src/core/priority.ts';
import { createMetrics } from '../../../src/http/metrics.ts';
import { createLogger } from '../../../src/log.ts';
import { notificationsSchema } from '../../../src/notify/config-schema.ts';
import { createNotifier } from '../../../src/notify/dispatcher.ts';
import { alertEvent, type NotifyEvent } from '../../../src/notify/events.ts';
import { DRAIN_MS, AT, alertOf, counted, delivery, evictionEvent, harness, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

async function vendor(reply?: Parameters<typeof startVendor>[0]): Promise<FakeVendor> {
  const v = await startVendor(reply);
  vendors.push(v);
  return v;
}

const dependency = (priority: NotifyEvent['priority']): NotifyEvent => ({ type: 'dependency-failing', priority, which: 'kubernetes', message: 'x', at: AT });

describe('dispatcher', () => {
  it('sends each channel only what meets its min_priority', async () => {
    const low = await vendor();
    const high = await vendor();
    const { notifier } = harness({ webhook: { url: `${low.base}/h`, min_priority: 'info' }, slack: { url: `${high.base}/s`, min_priority: 'critical' } });
    for (const p of PRIORITIES) notifier.notify(dependency(p));
    await notifier.close(DRAIN_MS);
    assert.deepEqual(low.requests.map((r) => (JSON.parse(r.body) as { priority: string }).priority), ['info', 'warning', 'critical', 'emergency']);
    assert.deepEqual(high.requests.map((r) => (JSON.parse(r.body) as { text: string }).text.split(']')[0]), ['[CRITICAL', '[EMERGENCY']);
  });

  it('lets escalation reach a channel that the first firing did not', async () => {
    const pager = await vendor();
    const { notifier } = harness({ webhook: { url: `${pager.base}/h`, min_priority: 'critical' } });
    notifier.notify(alertOf(delivery('sent', 'warning', 'firing', 1)));
    notifier.notify(alertOf(delivery('escalated', 'critical', 'firing', 3)));
    await notifier.close(DRAIN_MS);
    assert.deepEqual(pager.requests.map((r) => (JSON.parse(r.body) as { status: string }).status), ['escalated']);
  });

  it('never sends what dedup called a duplicate', async () => {
    const v = await vendor();
    const { notifier } = harness({ webhook: { url: `${v.base}/h`, min_priority: 'info' } });
    assert.equal(alertEvent(delivery('duplicate', 'critical'), AT), null);
    notifier.notify(alertOf(delivery('duplicate', 'critical')));
    await notifier.close(DRAIN_MS);
    assert.equal(v.requests.length, 0);
  });

  it('a hanging channel delays neither another channel nor the caller, and shutdown stays bounded', async () => {
    const dead = await vendor(() => 'hang');
    const alive = await vendor();
    const { notifier, metrics } = harness({ slack: { url: `${dead.base}/s`, timeout: 60 }, webhook: { url: `${alive.base}/h` } });
    const started = performance.now();
    for (let i = 0; i < 3; i++) notifier.notify(evictionEvent({ node: `节点-${i}` }));
    assert.ok(performance.now() - started < 50, 'notify returns at once');
    await waitFor(() => alive.requests.length === 3, 5000); // the dead channel's timeout is 60 s
    assert.equal(dead.requests.length, 1, 'the dead channel is still stuck on its first message');
    const closing = performance.now();
    await notifier.close(30);
    assert.ok(performance.now() - closing < 5000, 'close gave up on the hanging request (timeout 60 s)');
    assert.equal(await counted(metrics, 'webhook', 'sent'), 3);
    assert.equal(await counted(metrics, 'slack', 'failed'), 1, 'the in-flight one, aborted');
    assert.equal(await counted(metrics, 'slack', 'dropped'), 2, 'the queued ones');
  });

  it('drops the oldest queued message when the queue is full, and counts it', async () => {
    const v = await vendor();
    const { notifier, metrics, logger } = harness({ webhook: { url: `${v.base}/h`, min_priority: 'info', queue_size: 2 } });
    for (let i = 1; i <= 5; i++) notifier.notify(evictionEvent({ node: `n${i}` }));
    await notifier.close(DRAIN_MS);
    // n1 was already taken out for sending when n2..n5 arrived; n2 and n3 were pushed out.
    assert.deepEqual(v.requests.map((r) => (JSON.parse(r.body) as { node: string }).node), ['n1', 'n4', 'n5']);
    assert.equal(await counted(metrics, 'webhook', 'dropped'), 2);
    assert.equal(logger.lines.filter((l) => l.fields.event === 'notification-dropped').length, 2);
  });

  it('drains what is queued on close, then drops anything notified afterwards', async () => {
    const v = await vendor();
    const { notifier, metrics } = harness({ webhook: { url: `${v.base}/h`, min_priority: 'info' } });
    for (let i = 0; i < 3; i++) notifier.notify(evictionEvent());
    await notifier.close(DRAIN_MS);
    assert.equal(v.requests.length, 3);
    notifier.notify(evictionEvent());
    assert.equal(await counted(metrics, 'webhook', 'dropped'), 1);
    assert.equal(v.requests.length, 3);
  });

  it('notify never throws, even given garbage', async () => {
    const v = await vendor();
    const { notifier, logger } = harness({ webhook: { url: `${v.base}/h` } });
    assert.doesNotThrow(() => notifier.notify(null as unknown as NotifyEvent));
    assert.equal(logger.lines[0]?.fields.event, 'notification-error');
    await notifier.close(100);
  });

  it('with no channel configured, is a no-op', async () => {
    const { notifier } = harness({});
    assert.deepEqual(notifier.channels, []);
    notifier.notify(evictionEvent());
    await notifier.close(100);
  });

  it('logs through the real pino logger with the channel and host, never the URL, token or secret', async () => {
    const token = 'b7f3c2a1d4e5f60718293a4b5c6d7e8f';
    const v = await vendor((req) => ({ status: 401, body: `rejected ${String(req.headers.authorization)} for ${req.url}` }));
    let output = '';
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => ((output += chunk.toString()), done()) });
    const config = notificationsSchema.parse({ webhook: { url: `${v.base}/hooks/${token}?key=${token}`, bearer_token: `bearer-${token}`, secret: `secret-${token}` } });
    const notifier = createNotifier({ config, metrics: createMetrics({ processMetrics: false }), logger: createLogger({ level: 'debug', destination }) });
    notifier.notify(evictionEvent());
    await waitFor(() => output.includes('notification-failed'));
    await notifier.close(100);
    const line = JSON.parse(output.split('\n').find((l) => l.includes('notification-failed')) ?? '{}') as Record<string, unknown>;
    assert.equal(line.channel, 'webhook');
    assert.equal(line.host, new URL(v.base).host);
    assert.equal(line.status, 401);
    assert.doesNotMatch(output, new RegExp(token));
  });
});
