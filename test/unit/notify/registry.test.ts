/**
 * A new channel is one file plus its config schema: this test plays that file, registering a
 * "pager" channel through the same registry and schema the built-ins use.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { createMetrics } from '../../../src/http/metrics.ts';
import type { ChannelDefinition } from '../../../src/notify/channel.ts';
import { channelBase, notificationsSchema, type ChannelConfig } from '../../../src/notify/config-schema.ts';
import { createNotifier } from '../../../src/notify/dispatcher.ts';
import { BUILTIN_CHANNELS } from '../../../src/notify/registry.ts';
import { DRAIN_MS, counted, evictionEvent, fakeClock, recordingLogger, startVendor, waitFor, type FakeVendor } from './helpers.ts';

const vendors: FakeVendor[] = [];
after(async () => Promise.all(vendors.map((v) => v.close())));

// --- the "one file" ---------------------------------------------------------------------------
const pagerSchema = z.strictObject({ ...channelBase, routing_key: z.string().min(1) });
type PagerConfig = ChannelConfig & { routing_key: string };
const pager: ChannelDefinition<PagerConfig> = {
  name: 'pager',
  create(config) {
    return {
      name: 'pager',
      limits: { perSecond: 10, maxBytes: 4096 },
      render: (event) => (event.type === 'eviction-executed' ? { url: config.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: config.routing_key, summary: `${event.node}: ${event.outcomes.length}` }) } : null),
    };
  },
};
// -------------------------------------------------------------------------------------------------

describe('channel registry', () => {
  it('delivers through a channel registered beside the built-ins', async () => {
    const vendor = await startVendor();
    vendors.push(vendor);
    const schema = notificationsSchema.extend({ pager: pagerSchema.optional() });
    const config = schema.parse({ pager: { url: `${vendor.base}/enqueue`, routing_key: 'R0UT1NG' } });
    const metrics = createMetrics({ processMetrics: false });
    const clock = fakeClock();
    const notifier = createNotifier({ config, metrics, logger: recordingLogger(), channels: { ...BUILTIN_CHANNELS, pager }, now: clock.now, sleep: clock.sleep });
    assert.deepEqual(notifier.channels, ['pager']);
    notifier.notify({ type: 'dependency-failing', priority: 'critical', which: 'prometheus', message: 'down', at: '2026-11-27T12:00:00Z' });
    notifier.notify(evictionEvent());
    await waitFor(() => vendor.requests.length === 1);
    await notifier.close(DRAIN_MS);
    assert.deepEqual(JSON.parse(vendor.requests[0]?.body ?? ''), { key: 'R0UT1NG', summary: '节点-1: 2' });
    assert.equal(await counted(metrics, 'pager', 'sent'), 1, 'an event the channel declines is not counted');
    assert.throws(() => schema.parse({ pager: { url: 'https://x.example/' } }), /routing_key/);
  });

  it('refuses a config key that no channel is registered for', () => {
    const config = { pager: notificationsSchema.shape.slack.parse({ url: 'https://x.example/' }) };
    assert.throws(() => createNotifier({ config, metrics: createMetrics({ processMetrics: false }), logger: recordingLogger() }), /notifications\.pager: no channel of that name/);
  });

  it('a renderer that throws fails that message, not the channel', async () => {
    const vendor = await startVendor();
    vendors.push(vendor);
    const flaky: ChannelDefinition = {
      name: 'flaky',
      create: (config) => ({
        name: 'flaky',
        limits: { maxBytes: 1000 },
        render: (event) => {
          if (event.node === 'boom') throw new Error('renderer bug');
          return { url: config.url, headers: {}, body: 'ok' };
        },
      }),
    };
    const config = { flaky: notificationsSchema.shape.slack.parse({ url: `${vendor.base}/f` }) };
    const metrics = createMetrics({ processMetrics: false });
    const notifier = createNotifier({ config, metrics, logger: recordingLogger(), channels: { flaky } });
    notifier.notify(evictionEvent({ node: 'boom' }));
    notifier.notify(evictionEvent({ node: 'fine' }));
    await waitFor(() => vendor.requests.length === 1);
    await notifier.close(DRAIN_MS);
    assert.equal(await counted(metrics, 'flaky', 'failed'), 1);
    assert.equal(await counted(metrics, 'flaky', 'sent'), 1);
  });
});
