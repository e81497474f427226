import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advance, amPayload, buildTestApp, criticalAlert, memoryLogger, postWebhook } from '../helpers/app.ts';

const TOKEN = 'tok-AUTH-0123456789abcdef';
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/SLACKSECRETPATH';
const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=DINGACCESSTOKEN';
const DING_SECRET = 'SECdingsigningsecret';
const BEARER = 'webhook-bearer-SECRETVALUE';
const SECRETS = [TOKEN, 'SLACKSECRETPATH', 'DINGACCESSTOKEN', DING_SECRET, BEARER];

const notifications = {
  slack: { url: SLACK_URL, min_priority: 'warning' },
  dingtalk: { url: DING_URL, secret: DING_SECRET },
  webhook: { url: 'https://hooks.example/x?k=SLACKSECRETPATH', bearer_token: BEARER },
};

describe('log redaction: secrets never reach the output', () => {
  const table: Array<{ description: string; obj: Record<string, unknown>; kept?: Record<string, unknown> }> = [
    { description: 'a request with an Authorization header', obj: { req: { method: 'POST', url: '/webhook', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } } } },
    { description: 'bare headers with Authorization', obj: { headers: { authorization: `Bearer ${TOKEN}` } } },
    { description: 'an Authorization value at the top', obj: { authorization: `Bearer ${TOKEN}` } },
    { description: 'auth_token at the top', obj: { auth_token: TOKEN } },
    { description: 'the server section', obj: { server: { port: 8080, auth_token: TOKEN } }, kept: { server: { port: 8080, auth_token: '[redacted]' } } },
    { description: 'the whole config', obj: { event: 'started', config: { mode: 'enforce', server: { auth_token: TOKEN }, notifications } } },
    { description: 'the raw config', obj: { raw: { server: { auth_token: TOKEN }, notifications } } },
    { description: 'the notifications section', obj: { notifications } },
    { description: 'one channel', obj: { event: 'notification-failed', channel: { name: 'dingtalk', url: DING_URL, secret: DING_SECRET } } },
    { description: 'a secret and a bearer token at the top', obj: { secret: DING_SECRET, bearer_token: BEARER } },
  ];
  for (const row of table) {
    it(row.description, () => {
      const log = memoryLogger();
      log.logger.info(row.obj, 'something happened');
      const text = log.text();
      for (const s of SECRETS) assert.ok(!text.includes(s), `${s} leaked: ${text}`);
      assert.match(text, /\[redacted\]/);
      const line = log.lines()[0] ?? {};
      assert.equal(line.msg, 'something happened');
      for (const [k, v] of Object.entries(row.kept ?? {})) assert.deepEqual(line[k], v);
    });
  }

  it('keeps the non-secret fields of a channel readable', () => {
    const log = memoryLogger();
    log.logger.info({ notifications }, 'channels');
    const line = log.lines()[0] as { notifications: { slack: { url: string; min_priority: string } } };
    assert.equal(line.notifications.slack.min_priority, 'warning');
    assert.equal(line.notifications.slack.url, '[redacted]');
  });

  it('does not modify the object that was logged', () => {
    const log = memoryLogger();
    const obj = { server: { auth_token: TOKEN } };
    log.logger.info(obj, 'x');
    assert.equal(obj.server.auth_token, TOKEN);
  });

  it('tags lines with app=headroom and honours the level', () => {
    const log = memoryLogger('warn');
    log.logger.info({ event: 'quiet' }, 'not shown');
    log.logger.warn({ event: 'loud' }, 'shown');
    const lines = log.lines();
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.app, 'headroom');
    assert.equal(lines[0]?.event, 'loud');
  });
});

describe('decision logs', () => {
  it('every line the service writes carries an event field', async () => {
    const t = buildTestApp({ server: { auth_token: TOKEN, max_queued_nodes: 1 } }, { concurrency: 1 });
    const auth = { authorization: `Bearer ${TOKEN}` };
    t.evaluator.cooldown.add('cool');
    t.evaluator.hold = true;
    await postWebhook(t, amPayload([criticalAlert('a'), criticalAlert('cool'), { labels: { alertname: 'NoNode' } }]), auth);
    for (let i = 0; i < 3; i++) {
      advance(t, 10);
      await postWebhook(t, amPayload([criticalAlert('a'), { labels: { alertname: 'NoNode' } }]), auth);
    }
    await postWebhook(t, amPayload([criticalAlert('b')]), auth);
    await postWebhook(t, amPayload([criticalAlert('c')]), auth); // queue full: 503
    await postWebhook(t, amPayload([criticalAlert('a')])); // 401
    await postWebhook(t, '{broken', auth); // 400
    await postWebhook(t, { version: '3' }, auth); // 400
    t.evaluator.releaseAll();
    await t.queue.idle();
    await postWebhook(t, amPayload([{ status: 'resolved', ...criticalAlert('a') }]), auth);
    await t.app.close();

    const lines = t.logs();
    const events = new Set(lines.map((l) => l.event));
    for (const expected of ['webhook', 'alert-deduplicated', 'alert-escalated', 'alert-no-node', 'eviction-skipped', 'evaluation']) {
      assert.ok(events.has(expected), `no ${expected} line in ${[...events].join(', ')}`);
    }
    const without = lines.filter((l) => typeof l.event !== 'string' || l.event === '');
    assert.deepEqual(without, [], 'lines without an event field');
    assert.ok(!JSON.stringify(lines).includes(TOKEN), 'the token reached the log');
  });
});
