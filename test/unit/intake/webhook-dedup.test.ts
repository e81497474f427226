import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advance, amPayload, buildTestApp, criticalAlert, postWebhook, type TestApp } from '../../helpers/app.ts';

const warning = (node: string) => ({ labels: { alertname: 'NodeMemoryPressureWarning', severity: 'warning', node } });

async function post(t: TestApp, alerts: Parameters<typeof amPayload>[0]): Promise<Record<string, number>> {
  const res = await postWebhook(t, amPayload(alerts));
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Record<string, number>>();
}

describe('POST /webhook: the answer', () => {
  it('counts received, deduplicated, escalated and queued for a mixed group', async () => {
    const t = buildTestApp();
    assert.deepEqual(await post(t, [criticalAlert('worker-1'), warning('worker-2'), { labels: { alertname: 'Watchdog' } }]), { received: 3, deduplicated: 0, escalated: 0, queued: 1 });
    advance(t, 30);
    assert.deepEqual(await post(t, [criticalAlert('worker-1'), warning('worker-2'), { labels: { alertname: 'Watchdog' } }]), { received: 3, deduplicated: 3, escalated: 0, queued: 1 });
    await t.app.close();
  });

  it('answers application/json with exactly the four counts', async () => {
    const t = buildTestApp();
    const res = await postWebhook(t, amPayload([warning('w')]));
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(Object.keys(res.json<object>()).sort(), ['deduplicated', 'escalated', 'queued', 'received']);
    await t.app.close();
  });

  it('accepts the minimal payload: version and alerts with status and labels', async () => {
    const t = buildTestApp();
    const res = await postWebhook(t, { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'X', node: 'n' } }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ received: number }>().received, 1);
    assert.equal(t.deliveries[0]?.alert.generatorURL, '');
    await t.app.close();
  });

  it('accepts unknown keys at every level (Alertmanager may grow)', async () => {
    const t = buildTestApp();
    const payload = amPayload([warning('w')]) as { alerts: Array<Record<string, unknown>> } & Record<string, unknown>;
    payload.futureField = { nested: [1, 2] };
    (payload.alerts[0] as Record<string, unknown>).silencedBy = ['abc'];
    const res = await postWebhook(t, payload);
    assert.equal(res.statusCode, 200, res.body);
    await t.app.close();
  });

  it('treats the zero endsAt as no end', async () => {
    const t = buildTestApp();
    await post(t, [warning('w')]);
    assert.equal(t.deliveries[0]?.alert.endsAt, null);
    assert.equal(t.deliveries[0]?.alert.startsAt, '2026-11-27T11:59:00Z');
    await t.app.close();
  });
});

describe('POST /webhook: de-duplication and escalation through repeated deliveries', () => {
  it('first is sent, repeats inside the silence period are deduplicated', async () => {
    const t = buildTestApp({ dedup: { escalate_after: 100 } });
    assert.deepEqual(await post(t, [warning('w')]), { received: 1, deduplicated: 0, escalated: 0, queued: 0 });
    advance(t, 100);
    assert.deepEqual(await post(t, [warning('w')]), { received: 1, deduplicated: 1, escalated: 0, queued: 0 });
    advance(t, 199);
    assert.deepEqual(await post(t, [warning('w')]), { received: 1, deduplicated: 1, escalated: 0, queued: 0 });
    assert.equal(t.deliveries.length, 1);
    await t.app.close();
  });

  it('a repeat after the silence period is sent (notified) again', async () => {
    const t = buildTestApp({ dedup: { escalate_after: 100 } });
    await post(t, [warning('w')]);
    advance(t, 301);
    assert.deepEqual(await post(t, [warning('w')]), { received: 1, deduplicated: 0, escalated: 0, queued: 0 });
    assert.equal(t.deliveries.length, 2);
    await t.app.close();
  });

  it('the 3rd and 6th consecutive deliveries escalate inside the silence period, one and two levels up', async () => {
    const t = buildTestApp();
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await post(t, [warning('w')]));
      advance(t, 20);
    }
    assert.deepEqual(
      answers.map((a) => [a.deduplicated, a.escalated]),
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 0],
        [1, 0],
        [0, 1],
      ],
    );
    // Only sent and escalated deliveries reach the notifier, with the raised priority.
    assert.deepEqual(
      t.deliveries.map((d) => [d.verdict, d.priority, d.count]),
      [
        ['sent', 'warning', 1],
        ['escalated', 'critical', 3],
        ['escalated', 'emergency', 6],
      ],
    );
    await t.app.close();
  });

  it('escalation saturates at emergency', async () => {
    const t = buildTestApp({ dedup: { escalate_after: 1 } });
    for (let i = 0; i < 5; i++) await post(t, [criticalAlert('w')]);
    assert.deepEqual(
      t.deliveries.map((d) => d.priority),
      ['emergency', 'emergency', 'emergency', 'emergency', 'emergency'],
    );
    await t.app.close();
  });

  it('honours dedup.silence_period and dedup.escalate_after from the config', async () => {
    const t = buildTestApp({ dedup: { silence_period: 60, escalate_after: 4 } });
    const verdicts = [];
    for (const gap of [0, 30, 31, 1, 1]) {
      advance(t, gap);
      const a = await post(t, [warning('w')]);
      verdicts.push(a.escalated ? 'escalated' : a.deduplicated ? 'duplicate' : 'sent');
    }
    assert.deepEqual(verdicts, ['sent', 'duplicate', 'sent', 'escalated', 'duplicate']);
    await t.app.close();
  });

  it('a resolved alert never queues its node and resets the escalation count', async () => {
    const t = buildTestApp();
    await post(t, [criticalAlert('worker-1')]);
    advance(t, 10);
    await post(t, [criticalAlert('worker-1')]);
    await t.queue.idle();
    const before = t.evaluator.requests.length;
    advance(t, 10);
    const resolved = await post(t, [{ status: 'resolved', ...criticalAlert('worker-1') }]);
    assert.deepEqual(resolved, { received: 1, deduplicated: 0, escalated: 0, queued: 0 });
    await t.queue.idle();
    assert.equal(t.evaluator.requests.length, before, 'a resolved alert was evaluated');
    advance(t, 10);
    // Would have been the 3rd consecutive (escalated); after the resolution it is a first delivery.
    const again = await post(t, [criticalAlert('worker-1')]);
    assert.equal(again.escalated, 0);
    assert.equal(again.deduplicated, 0);
    assert.equal(t.deliveries.at(-1)?.count, 1);
    await t.app.close();
  });

  it('labels in another order are the same alert; annotations do not matter', async () => {
    const t = buildTestApp();
    await post(t, [{ labels: { alertname: 'A', severity: 'warning', node: 'w' }, annotations: { value: '91' } }]);
    advance(t, 5);
    const a = await post(t, [{ labels: { node: 'w', severity: 'warning', alertname: 'A' }, annotations: { value: '92', summary: 'changed' } }]);
    assert.equal(a.deduplicated, 1);
    await t.app.close();
  });

  it('deduplicates per alert inside one group', async () => {
    const t = buildTestApp();
    await post(t, [warning('a'), warning('b')]);
    advance(t, 5);
    assert.deepEqual(await post(t, [warning('a'), warning('b'), warning('c')]), { received: 3, deduplicated: 2, escalated: 0, queued: 0 });
    await t.app.close();
  });

  it('counts every alert in headroom_alerts_*_total', async () => {
    const t = buildTestApp();
    for (let i = 0; i < 3; i++) await post(t, [warning('w')]);
    await post(t, [{ status: 'resolved', ...warning('w') }]);
    const text = await t.app.inject({ method: 'GET', url: '/metrics' }).then((r) => r.body);
    assert.match(text, /^headroom_alerts_received_total\{status="firing"\} 3$/m);
    assert.match(text, /^headroom_alerts_received_total\{status="resolved"\} 1$/m);
    assert.match(text, /^headroom_alerts_deduplicated_total 1$/m);
    assert.match(text, /^headroom_alerts_escalated_total 1$/m);
    await t.app.close();
  });
});
