import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advance, amPayload, buildTestApp, criticalAlert, postWebhook, type TestApp } from '../../helpers/app.ts';

type Answer = { received: number; deduplicated: number; escalated: number; queued: number };

async function post(t: TestApp, alerts: Parameters<typeof amPayload>[0]): Promise<Answer> {
  const res = await postWebhook(t, amPayload(alerts));
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Answer>();
}

const evictWith = (labels: Record<string, string>) => ({ labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', ...labels } });

describe('POST /webhook: which node an alert is about', () => {
  const table: Array<{ description: string; labels: Record<string, string>; config?: Record<string, unknown>; node: string | null }> = [
    { description: 'the node label', labels: { node: 'worker-1', instance: 'other:9100' }, node: 'worker-1' },
    { description: 'instance with the port stripped', labels: { instance: 'worker-2:9100' }, node: 'worker-2' },
    { description: 'IPv6 instance [::1]:9100', labels: { instance: '[::1]:9100' }, node: '::1' },
    { description: 'nodename last', labels: { nodename: 'worker-3' }, node: 'worker-3' },
    { description: 'a unicode node name', labels: { node: '节点-1' }, node: '节点-1' },
    { description: 'configured eviction.node_labels', labels: { node: 'ignored', kubernetes_node: 'worker-4' }, config: { eviction: { node_labels: ['kubernetes_node'] } }, node: 'worker-4' },
  ];
  for (const row of table) {
    it(row.description, async () => {
      const t = buildTestApp(row.config);
      const a = await post(t, [evictWith(row.labels)]);
      assert.equal(a.queued, 1);
      await t.queue.idle();
      assert.deepEqual(
        t.evaluator.requests.map((r) => r.node),
        [row.node],
      );
      await t.app.close();
    });
  }

  it('an alert that names no node is counted, notified, ignored for eviction, and answered 200', async () => {
    const t = buildTestApp();
    const a = await post(t, [evictWith({ pod: 'x' })]);
    assert.deepEqual(a, { received: 1, deduplicated: 0, escalated: 0, queued: 0 });
    await t.queue.idle();
    assert.equal(t.evaluator.requests.length, 0);
    assert.equal(t.deliveries.length, 1);
    assert.ok(t.logs().some((l) => l.event === 'alert-no-node'));
    await t.app.close();
  });
});

describe('POST /webhook: evict or notify', () => {
  const table: Array<{ description: string; labels: Record<string, string>; config?: Record<string, unknown>; queued: number }> = [
    { description: 'headroom_action="evict" queues the node', labels: { alertname: 'NodeMemoryPressureCritical', headroom_action: 'evict', node: 'w' }, queued: 1 },
    { description: 'an alertname in eviction.alertnames queues the node', labels: { alertname: 'KubeNodeOOM', node: 'w' }, config: { eviction: { alertnames: ['KubeNodeOOM'] } }, queued: 1 },
    { description: 'a warning without the label is notified only', labels: { alertname: 'NodeMemoryPressureWarning', severity: 'warning', node: 'w' }, queued: 0 },
    { description: 'the critical alertname without the label is notified only', labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', node: 'w' }, queued: 0 },
    { description: 'an alertname that is not configured is notified only', labels: { alertname: 'KubeNodeOOM', node: 'w' }, queued: 0 },
  ];
  for (const row of table) {
    it(row.description, async () => {
      const t = buildTestApp(row.config);
      const a = await post(t, [{ labels: row.labels }]);
      assert.equal(a.queued, row.queued);
      await t.queue.idle();
      assert.equal(t.evaluator.requests.length, row.queued);
      assert.equal(t.deliveries.length, 1, 'every alert is notified');
      await t.app.close();
    });
  }

  it('passes the alert names that asked for the node to the evaluator', async () => {
    const t = buildTestApp();
    await post(t, [criticalAlert('w')]);
    await t.queue.idle();
    assert.deepEqual(t.evaluator.requests[0]?.alertnames, ['NodeMemoryPressureCritical']);
    assert.equal(t.evaluator.requests[0]?.requestedAt.toISOString(), '2026-11-27T12:00:00.000Z');
    await t.app.close();
  });

  it('queues each node of a group once', async () => {
    const t = buildTestApp();
    const a = await post(t, [criticalAlert('a', { pod: '1' }), criticalAlert('a', { pod: '2' }), criticalAlert('b')]);
    assert.equal(a.queued, 2);
    await t.queue.idle();
    assert.deepEqual(t.evaluator.requests.map((r) => r.node).sort(), ['a', 'b']);
    await t.app.close();
  });
});

describe('POST /webhook: repeats never double an evaluation', () => {
  it('a repeated alert for a node being evaluated is coalesced: exactly one evaluation', async () => {
    const t = buildTestApp();
    t.evaluator.hold = true;
    assert.equal((await post(t, [criticalAlert('worker-1')])).queued, 1);
    for (let i = 0; i < 5; i++) {
      advance(t, 20);
      assert.equal((await post(t, [criticalAlert('worker-1')])).queued, 0);
    }
    assert.equal(t.evaluator.requests.length, 1);
    t.evaluator.releaseAll();
    await t.queue.idle();
    assert.equal(t.evaluator.requests.length, 1);
    assert.ok(t.logs().some((l) => l.event === 'eviction-skipped' && JSON.stringify(l).includes('coalesced')));
    await t.app.close();
  });

  it('repeats for a waiting node join it, with every alert name', async () => {
    const t = buildTestApp({ eviction: { alertnames: ['KubeNodeOOM'] } }, { concurrency: 1 });
    t.evaluator.hold = true;
    await post(t, [criticalAlert('a')]);
    assert.equal((await post(t, [criticalAlert('b')])).queued, 1);
    assert.equal((await post(t, [{ labels: { alertname: 'KubeNodeOOM', node: 'b' } }])).queued, 0);
    assert.equal(t.evaluator.requests.length, 1);
    t.evaluator.releaseAll();
    await t.queue.idle();
    assert.deepEqual(
      t.evaluator.requests.map((r) => [r.node, r.alertnames]),
      [
        ['a', ['NodeMemoryPressureCritical']],
        ['b', ['KubeNodeOOM', 'NodeMemoryPressureCritical']],
      ],
    );
    await t.app.close();
  });

  it('a node in cooldown is not queued, and the skip is logged', async () => {
    const t = buildTestApp();
    t.evaluator.cooldown.add('worker-1');
    const a = await post(t, [criticalAlert('worker-1'), criticalAlert('worker-2')]);
    assert.equal(a.queued, 1);
    await t.queue.idle();
    assert.deepEqual(
      t.evaluator.requests.map((r) => r.node),
      ['worker-2'],
    );
    assert.ok(t.logs().some((l) => l.event === 'eviction-skipped' && JSON.stringify(l).includes('cooldown')));
    await t.app.close();
  });
});

describe('POST /webhook: a full queue answers 503 and changes nothing', () => {
  /** Two nodes running (held) and two waiting fill `max_queued_nodes: 2`. */
  async function fullApp(): Promise<TestApp> {
    const t = buildTestApp({ server: { max_queued_nodes: 2 } });
    t.evaluator.hold = true;
    const a = await post(t, [criticalAlert('n1'), criticalAlert('n2'), criticalAlert('n3'), criticalAlert('n4')]);
    assert.equal(a.queued, 4);
    assert.equal(t.queue.freeSlots, 0);
    return t;
  }

  it('503 queue-full with retry-after; ledger, notifier and evaluator untouched', async () => {
    const t = await fullApp();
    const size = t.ledger.size;
    const deliveries = t.deliveries.length;
    const res = await postWebhook(t, amPayload([criticalAlert('n5'), { labels: { alertname: 'NodeMemoryPressureWarning', node: 'n6' } }]));
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<{ error: string }>().error, 'queue-full');
    assert.match(res.json<{ message: string }>().message, /full/);
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.equal(t.ledger.size, size);
    assert.equal(t.deliveries.length, deliveries);
    assert.equal(t.evaluator.requests.length, 2);

    // After the queue drains, Alertmanager's retry is a first delivery, not a duplicate.
    t.evaluator.releaseAll();
    await t.queue.idle();
    const retry = await post(t, [criticalAlert('n5'), { labels: { alertname: 'NodeMemoryPressureWarning', node: 'n6' } }]);
    assert.deepEqual(retry, { received: 2, deduplicated: 0, escalated: 0, queued: 1 });
    await t.queue.idle();
    assert.deepEqual(
      t.evaluator.requests.map((r) => r.node),
      ['n1', 'n2', 'n3', 'n4', 'n5'],
    );
    await t.app.close();
  });

  it('still accepts alerts that need no new place: repeats, notify-only, resolved', async () => {
    const t = await fullApp();
    advance(t, 10);
    const a = await post(t, [criticalAlert('n1'), criticalAlert('n3'), { labels: { alertname: 'NodeMemoryPressureWarning', node: 'n9' } }, { status: 'resolved', ...criticalAlert('n9') }]);
    assert.equal(a.received, 4);
    assert.equal(a.queued, 0);
    t.evaluator.releaseAll();
    await t.app.close();
  });

  it('still accepts an evict-alert for a node in cooldown: it would take no place', async () => {
    const t = await fullApp();
    t.evaluator.cooldown.add('n7');
    const res = await postWebhook(t, amPayload([criticalAlert('n7')]));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<Answer>().queued, 0);
    t.evaluator.releaseAll();
    await t.app.close();
  });

  it('counts the places a group needs: two new nodes with one free place is 503', async () => {
    const t = buildTestApp({ server: { max_queued_nodes: 2 } });
    t.evaluator.hold = true;
    await post(t, [criticalAlert('n1'), criticalAlert('n2'), criticalAlert('n3')]);
    assert.equal(t.queue.freeSlots, 1);
    const res = await postWebhook(t, amPayload([criticalAlert('n4'), criticalAlert('n5')]));
    assert.equal(res.statusCode, 503);
    assert.equal((await post(t, [criticalAlert('n4')])).queued, 1);
    t.evaluator.releaseAll();
    await t.app.close();
  });
});
