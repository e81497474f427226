import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amPayload, buildTestApp, criticalAlert } from '../../helpers/app.ts';

describe('POST /webhook accepts Alertmanager payloads', () => {
  it('answers received/deduplicated/escalated/queued and queues the node', async () => {
    const t = buildTestApp();
    const res = await t.app.inject({ method: 'POST', url: '/webhook', payload: amPayload([criticalAlert('worker-1')]) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { received: 1, deduplicated: 0, escalated: 0, queued: 1 });
    await t.queue.idle();
    assert.deepEqual(t.evaluator.requests.map((r) => r.node), ['worker-1']);
    await t.app.close();
  });
});
