import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { amPayload, buildTestApp, criticalAlert, postWebhook, type TestApp } from '../../helpers/app.ts';

const TOKEN = 'webhook-token-0123456789';
const JSON_TYPE = { 'content-type': 'application/json' };
const valid = (): Record<string, unknown> => amPayload([criticalAlert('worker-1')]);

/** A valid payload with one alert replaced. */
function withAlert(alert: unknown): Record<string, unknown> {
  return { ...valid(), alerts: [alert] };
}

function assertErrorBody(body: unknown): asserts body is { error: string; message: string } {
  assert.ok(body !== null && typeof body === 'object', 'error body is an object');
  assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
  const b = body as Record<string, unknown>;
  assert.equal(typeof b.error, 'string');
  assert.equal(typeof b.message, 'string');
  assert.ok((b.message as string).length > 0);
}

/** Nothing reached the ledger, the notifier or the queue, and the app still takes a valid POST. */
async function assertUntouchedAndAlive(t: TestApp, headers: Record<string, string> = {}): Promise<void> {
  await t.queue.idle();
  assert.equal(t.evaluator.requests.length, 0, 'an evaluation was requested');
  assert.equal(t.ledger.size, 0, 'the ledger recorded something');
  assert.equal(t.deliveries.length, 0, 'something was notified');
  const res = await postWebhook(t, valid(), headers);
  assert.equal(res.statusCode, 200, `the app no longer answers: ${res.body}`);
  assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
}

type Case = { description: string; request: InjectOptions; status: number; error: string; message?: RegExp; config?: Record<string, unknown> };

const post = (payload: unknown, headers: Record<string, string> = JSON_TYPE): InjectOptions => ({
  method: 'POST',
  url: '/webhook',
  headers,
  payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
});

describe('POST /webhook: bad input gets the right status and a {error, message} body, and changes nothing', () => {
  const cases: Case[] = [
    { description: 'not JSON', request: post('{"version": "4", "alerts": ['), status: 400, error: 'invalid-json', message: /JSON/ },
    { description: 'JSON with a trailing comma', request: post('{"version": "4",}'), status: 400, error: 'invalid-json' },
    { description: 'an empty body', request: post(''), status: 400, error: 'invalid-json' },
    { description: 'content type text/plain', request: post(JSON.stringify(valid()), { 'content-type': 'text/plain' }), status: 415, error: 'unsupported-media-type', message: /text\/plain.*application\/json/ },
    { description: 'a form', request: post('version=4&alerts=x', { 'content-type': 'application/x-www-form-urlencoded' }), status: 415, error: 'unsupported-media-type', message: /application\/json/ },
    { description: 'multipart', request: post('--b\r\n\r\nx\r\n--b--', { 'content-type': 'multipart/form-data; boundary=b' }), status: 415, error: 'unsupported-media-type' },
    { description: 'no content type', request: { method: 'POST', url: '/webhook', payload: Buffer.from(JSON.stringify(valid())) }, status: 415, error: 'unsupported-media-type' },
    {
      description: 'a body over server.body_limit',
      config: { server: { body_limit: 2048 } },
      request: post({ ...valid(), padding: 'x'.repeat(4096) }),
      status: 413,
      error: 'body-too-large',
      message: /2048 bytes.*server\.body_limit/,
    },
    { description: 'a JSON array', request: post([valid()]), status: 400, error: 'invalid-payload' },
    { description: 'JSON null', request: post('null'), status: 400, error: 'invalid-payload' },
    { description: 'a JSON string', request: post('"hello"'), status: 400, error: 'invalid-payload' },
    { description: 'a JSON number', request: post('4'), status: 400, error: 'invalid-payload' },
    { description: 'alerts is an object', request: post({ ...valid(), alerts: { 0: criticalAlert('w') } }), status: 400, error: 'invalid-payload', message: /alerts/ },
    { description: 'alerts is a string', request: post({ ...valid(), alerts: 'none' }), status: 400, error: 'invalid-payload', message: /alerts/ },
    { description: 'alerts is null', request: post({ ...valid(), alerts: null }), status: 400, error: 'invalid-payload', message: /alerts/ },
    { description: 'alerts is missing', request: post({ version: '4', status: 'firing' }), status: 400, error: 'invalid-payload', message: /alerts/ },
    { description: 'an empty alert list', request: post({ ...valid(), alerts: [] }), status: 400, error: 'invalid-payload', message: /alerts/ },
    { description: 'a label value that is a number', request: post(withAlert({ status: 'firing', labels: { alertname: 'X', node: 5 } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels\.node/ },
    { description: 'a label value that is null', request: post(withAlert({ status: 'firing', labels: { alertname: 'X', node: null } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels\.node/ },
    { description: 'a label value that is an object', request: post(withAlert({ status: 'firing', labels: { alertname: 'X', node: { name: 'w' } } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels\.node/ },
    { description: 'a label value that is a boolean', request: post(withAlert({ status: 'firing', labels: { headroom_action: true } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels\.headroom_action/ },
    {
      description: 'a bad label in the 3rd alert names that alert',
      request: post({ ...valid(), alerts: [criticalAlert('a'), criticalAlert('b'), { status: 'firing', labels: { node: 7 } }].map((a) => ({ status: 'firing', ...a })) }),
      status: 400,
      error: 'invalid-payload',
      message: /alerts\[2\]\.labels\.node/,
    },
    { description: 'labels missing', request: post(withAlert({ status: 'firing' })), status: 400, error: 'invalid-payload', message: /alerts\[0\].*labels/ },
    { description: 'labels is a list', request: post(withAlert({ status: 'firing', labels: ['node=w'] })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels/ },
    { description: 'an alert status that is neither firing nor resolved', request: post(withAlert({ status: 'pending', labels: { node: 'w' } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.status/ },
    { description: 'an alert without status', request: post(withAlert({ labels: { node: 'w' } })), status: 400, error: 'invalid-payload', message: /alerts\[0\].*status/ },
    { description: 'an alert that is a string', request: post(withAlert('firing')), status: 400, error: 'invalid-payload', message: /alerts\[0\]/ },
    { description: 'annotations with a number', request: post(withAlert({ status: 'firing', labels: { node: 'w' }, annotations: { value: 91.2 } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.annotations\.value/ },
    { description: 'version "3"', request: post({ ...valid(), version: '3' }), status: 400, error: 'invalid-payload', message: /version.*"4"/ },
    { description: 'version 4 as a number', request: post({ ...valid(), version: 4 }), status: 400, error: 'invalid-payload', message: /version.*"4"/ },
    {
      description: 'version missing',
      request: post(Object.fromEntries(Object.entries(valid()).filter(([k]) => k !== 'version'))),
      status: 400,
      error: 'invalid-payload',
      message: /version/,
    },
    { description: 'truncatedAlerts negative', request: post({ ...valid(), truncatedAlerts: -1 }), status: 400, error: 'invalid-payload', message: /truncatedAlerts/ },
    { description: 'commonLabels with a number', request: post({ ...valid(), commonLabels: { severity: 2 } }), status: 400, error: 'invalid-payload', message: /commonLabels\.severity/ },
    { description: 'a label value over 1 MiB', request: post(withAlert({ status: 'firing', labels: { node: 'w', big: 'x'.repeat(1_048_577) } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels\.big/ },
    // Limits count UTF-16 units: 600,000 astral characters are 1,200,000 units, over 1 MiB.
    { description: 'a label value over 1 MiB in UTF-16 units', request: post(withAlert({ status: 'firing', labels: { node: 'w', big: '🚀'.repeat(600_000) } })), status: 400, error: 'invalid-payload', message: /alerts\[0\]\.labels\.big/ },
    { description: 'a __proto__ key at the top', request: post('{"__proto__": {"polluted": "yes"}, "version": "4", "alerts": [{"status": "firing", "labels": {"node": "w"}}]}'), status: 400, error: 'invalid-json' },
    {
      description: 'a __proto__ key in labels',
      request: post('{"version": "4", "alerts": [{"status": "firing", "labels": {"node": "w", "__proto__": {"polluted": "yes"}}}]}'),
      status: 400,
      error: 'invalid-json',
    },
    {
      description: 'a constructor.prototype key',
      request: post('{"version": "4", "constructor": {"prototype": {"polluted": "yes"}}, "alerts": [{"status": "firing", "labels": {"node": "w"}}]}'),
      status: 400,
      error: 'invalid-json',
    },
  ];

  for (const c of cases) {
    it(c.description, async () => {
      const t = buildTestApp(c.config);
      const res = await t.app.inject(c.request);
      assert.equal(res.statusCode, c.status, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const body = res.json<unknown>();
      assertErrorBody(body);
      assert.equal(body.error, c.error);
      if (c.message) assert.match(body.message, c.message);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
      await assertUntouchedAndAlive(t);
      await t.app.close();
    });
  }

  it('a request with a long message lists a bounded number of problems', async () => {
    const t = buildTestApp();
    const alerts = Array.from({ length: 50 }, (_, i) => ({ status: 'firing', labels: { node: i } }));
    const res = await postWebhook(t, { version: '4', alerts });
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.length < 2000, `message of ${res.body.length} bytes`);
    await assertUntouchedAndAlive(t);
    await t.app.close();
  });
});

describe('POST /webhook: bearer auth', () => {
  const config = { server: { auth_token: TOKEN } };
  const cases: Array<{ description: string; headers: Record<string, string>; message: RegExp }> = [
    { description: 'no Authorization header', headers: {}, message: /missing/ },
    { description: 'a wrong token of the same length', headers: { authorization: `Bearer ${'x'.repeat(TOKEN.length)}` }, message: /wrong/ },
    { description: 'a shorter token', headers: { authorization: 'Bearer short' }, message: /wrong/ },
    { description: 'a longer token with the right prefix', headers: { authorization: `Bearer ${TOKEN}extra` }, message: /wrong/ },
    { description: 'the right token as a prefix cut short', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, message: /wrong/ },
    { description: 'another scheme', headers: { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` }, message: /wrong/ },
    { description: 'the token without a scheme', headers: { authorization: TOKEN }, message: /wrong/ },
    { description: 'Bearer with nothing after it', headers: { authorization: 'Bearer ' }, message: /wrong/ },
  ];
  for (const c of cases) {
    it(`401 for ${c.description}, with a valid evict payload that reaches nothing`, async () => {
      const t = buildTestApp(config);
      const res = await postWebhook(t, valid(), c.headers);
      assert.equal(res.statusCode, 401);
      const body = res.json<unknown>();
      assertErrorBody(body);
      assert.equal(body.error, 'unauthorized');
      assert.match(body.message, c.message);
      assert.doesNotMatch(res.body, new RegExp(TOKEN));
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
      await assertUntouchedAndAlive(t, { authorization: `Bearer ${TOKEN}` });
      await t.app.close();
    });
  }

  it('401 comes before the body is read: an unauthenticated oversized or broken body is still 401', async () => {
    const t = buildTestApp({ server: { auth_token: TOKEN, body_limit: 2048 } });
    assert.equal((await postWebhook(t, 'x'.repeat(10_000))).statusCode, 401);
    assert.equal((await postWebhook(t, '{not json')).statusCode, 401);
    await t.app.close();
  });

  const accepted: Array<{ description: string; header: string }> = [
    { description: 'the right token', header: `Bearer ${TOKEN}` },
    { description: 'a lower-case scheme', header: `bearer ${TOKEN}` },
    { description: 'extra spaces', header: `Bearer   ${TOKEN}  ` },
  ];
  for (const c of accepted) {
    it(`200 for ${c.description}`, async () => {
      const t = buildTestApp(config);
      const res = await postWebhook(t, valid(), { authorization: c.header });
      assert.equal(res.statusCode, 200, res.body);
      await t.app.close();
    });
  }

  it('/healthz, /readyz and /metrics stay open without a token', async () => {
    const t = buildTestApp(config);
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 200, url);
    }
    await t.app.close();
  });

  it('without a configured token, /webhook needs none', async () => {
    const t = buildTestApp();
    assert.equal((await postWebhook(t, valid())).statusCode, 200);
    await t.app.close();
  });
});

describe('routes that do not exist', () => {
  const cases: Array<{ description: string; request: InjectOptions }> = [
    { description: 'GET /webhook', request: { method: 'GET', url: '/webhook' } },
    { description: 'PUT /webhook', request: { method: 'PUT', url: '/webhook', headers: JSON_TYPE, payload: JSON.stringify(valid()) } },
    { description: 'DELETE /webhook', request: { method: 'DELETE', url: '/webhook' } },
    { description: 'an unknown path', request: { method: 'GET', url: '/nope' } },
    { description: 'an unknown path with a query', request: { method: 'POST', url: '/webhooks?x=1', headers: JSON_TYPE, payload: '{}' } },
  ];
  for (const c of cases) {
    it(`${c.description}: 404 or 405 with an error body`, async () => {
      const t = buildTestApp();
      const res = await t.app.inject(c.request);
      assert.ok(res.statusCode === 404 || res.statusCode === 405, `status ${res.statusCode}`);
      const body = res.json<unknown>();
      assertErrorBody(body);
      assert.doesNotMatch(body.message, /\?x=1/);
      await assertUntouchedAndAlive(t);
      await t.app.close();
    });
  }
});

describe('POST /webhook: large and unusual but valid input is accepted', () => {
  it('10,000 alerts in one payload', async () => {
    const t = buildTestApp();
    const alerts = Array.from({ length: 10_000 }, (_, i) => ({ labels: { alertname: 'NodeMemoryPressureWarning', severity: 'warning', node: `node-${i % 500}`, pod: `pod-${i}` } }));
    const res = await postWebhook(t, amPayload(alerts));
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.deepEqual(res.json<unknown>(), { received: 10_000, deduplicated: 0, escalated: 0, queued: 0 });
    assert.equal(t.ledger.size, 10_000);
    await t.app.close();
  });

  it('unicode label names and values, and a Chinese node name', async () => {
    const t = buildTestApp();
    const res = await postWebhook(t, amPayload([{ labels: { alertname: '内存压力', severity: 'critical', headroom_action: 'evict', node: '节点-1', 'team': 'ψ-🚀' }, annotations: { summary: '节点内存使用率过高' } }]));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ queued: number }>().queued, 1);
    await t.queue.idle();
    assert.equal(t.evaluator.requests[0]?.node, '节点-1');
    assert.equal(t.deliveries[0]?.alert.annotations.summary, '节点内存使用率过高');
    await t.app.close();
  });

  it('very long label and annotation values (100 KB)', async () => {
    const t = buildTestApp();
    const long = 'v'.repeat(100 * 1024);
    const res = await postWebhook(t, amPayload([{ labels: { alertname: 'X', node: 'w', description: long }, annotations: { description: long } }]));
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(t.deliveries[0]?.alert.labels.description?.length, 100 * 1024);
    await t.app.close();
  });

  it('a label named constructor or toString is an ordinary label', async () => {
    const t = buildTestApp();
    const res = await postWebhook(t, '{"version": "4", "alerts": [{"status": "firing", "labels": {"node": "w", "constructor": "c", "toString": "t", "hasOwnProperty": "h"}}]}');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(t.deliveries[0]?.alert.labels.constructor, 'c');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await t.app.close();
  });

  it('an application/json content type with parameters or other case', async () => {
    const t = buildTestApp();
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const res = await postWebhook(t, valid(), { 'content-type': type });
      assert.equal(res.statusCode, 200, `${type}: ${res.body}`);
    }
    await t.app.close();
  });
});
