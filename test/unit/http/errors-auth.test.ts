import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { bearerAuth } from '../../../src/http/auth.ts';
import { describeValidation, installErrorHandlers, sendError } from '../../../src/http/errors.ts';
import { memoryLogger } from '../../helpers/app.ts';

function bareApp(): { app: FastifyInstance; log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  // Typed as Fastify's logger so the instance type stays the default one, as in app.ts.
  const loggerInstance: FastifyBaseLogger = log.logger;
  const app = Fastify({ loggerInstance });
  installErrorHandlers(app, 1024);
  return { app, log };
}

describe('the error handler', () => {
  it('turns an unexpected throw into 500 {error: internal} and logs it with an event, without leaking the message', async () => {
    const { app, log } = bareApp();
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json<unknown>(), { error: 'internal', message: 'internal error; see the headroom log' });
    assert.ok(log.lines().some((l) => l.event === 'internal-error'));
    await app.close();
  });

  it('keeps a 4xx status an error carries, as bad-request', async () => {
    const { app } = bareApp();
    app.get('/teapot', async () => {
      throw Object.assign(new Error('no coffee'), { statusCode: 418 });
    });
    const res = await app.inject({ method: 'GET', url: '/teapot' });
    assert.equal(res.statusCode, 418);
    assert.deepEqual(res.json<unknown>(), { error: 'bad-request', message: 'no coffee' });
    await app.close();
  });

  it('answers unknown routes 404 with the method and path, not the query', async () => {
    const { app } = bareApp();
    const res = await app.inject({ method: 'PATCH', url: '/x/y?token=secret' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json<unknown>(), { error: 'not-found', message: 'no route PATCH /x/y' });
    await app.close();
  });

  it('sendError sends exactly {error, message} as JSON', async () => {
    const { app } = bareApp();
    app.get('/e', async (_req, reply) => sendError(reply, 409, 'conflict', 'already there'));
    const res = await app.inject({ method: 'GET', url: '/e' });
    assert.equal(res.statusCode, 409);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json<unknown>(), { error: 'conflict', message: 'already there' });
    await app.close();
  });
});

describe('describeValidation', () => {
  const table: Array<{ description: string; errors: Parameters<typeof describeValidation>[0]; expected: string }> = [
    { description: 'the body itself', errors: [{ instancePath: '', keyword: 'type', message: 'must be object', params: {} }], expected: '(body): must be object' },
    { description: 'an array index', errors: [{ instancePath: '/alerts/0/labels/node', keyword: 'type', message: 'must be string', params: {} }], expected: 'alerts[0].labels.node: must be string' },
    { description: 'a multi-digit index', errors: [{ instancePath: '/alerts/12/status', keyword: 'enum', message: 'must be equal to one of the allowed values', params: {} }], expected: 'alerts[12].status: must be equal to one of the allowed values' },
    { description: 'a missing key at the top', errors: [{ instancePath: '', keyword: 'required', message: "must have required property 'alerts'", params: { missingProperty: 'alerts' } }], expected: 'alerts: required' },
    { description: 'a missing key inside an alert', errors: [{ instancePath: '/alerts/0', keyword: 'required', message: "must have required property 'labels'", params: { missingProperty: 'labels' } }], expected: 'alerts[0].labels: required' },
    { description: 'the version', errors: [{ instancePath: '/version', keyword: 'const', message: 'must be equal to constant', params: {} }], expected: 'version: unsupported payload version: headroom accepts Alertmanager webhook version "4"' },
    { description: 'a label name with an escaped slash', errors: [{ instancePath: '/alerts/0/labels/a~1b', keyword: 'type', message: 'must be string', params: {} }], expected: 'alerts[0].labels.a/b: must be string' },
    { description: 'a label name with an escaped tilde', errors: [{ instancePath: '/alerts/0/labels/a~0b', keyword: 'type', message: 'must be string', params: {} }], expected: 'alerts[0].labels.a~b: must be string' },
    { description: 'no message: the keyword', errors: [{ instancePath: '/x', keyword: 'maxLength', params: {} }], expected: 'x: maxLength' },
  ];
  for (const row of table) {
    it(row.description, () => {
      assert.equal(describeValidation(row.errors), row.expected);
    });
  }

  it('lists at most five problems', () => {
    const errors = Array.from({ length: 9 }, (_, i) => ({ instancePath: `/alerts/${i}`, keyword: 'type', message: 'must be object', params: {} }));
    assert.equal(describeValidation(errors).split('; ').length, 5);
  });
});

describe('bearerAuth', () => {
  const TOKEN = 's3cr3t-token-0123456789';

  function authed(): FastifyInstance {
    const { app } = bareApp();
    app.addHook('onRequest', bearerAuth(TOKEN));
    app.get('/x', async () => ({ ok: true }));
    return app;
  }

  const table: Array<{ description: string; header: string | undefined; status: number }> = [
    { description: 'the right token', header: `Bearer ${TOKEN}`, status: 200 },
    { description: 'no header', header: undefined, status: 401 },
    { description: 'an empty header', header: '', status: 401 },
    { description: 'the wrong token', header: 'Bearer nope', status: 401 },
    { description: 'a 10 KB token', header: `Bearer ${'t'.repeat(10_000)}`, status: 401 },
    { description: 'a token with unicode', header: `Bearer ${TOKEN.slice(0, -1)}é`, status: 401 },
    { description: 'the token twice', header: `Bearer ${TOKEN} ${TOKEN}`, status: 401 },
  ];
  for (const row of table) {
    it(`${row.description}: ${row.status}`, async () => {
      const app = authed();
      const res = await app.inject({ method: 'GET', url: '/x', headers: row.header === undefined ? {} : { authorization: row.header } });
      assert.equal(res.statusCode, row.status);
      if (row.status === 401) assert.equal(res.json<{ error: string }>().error, 'unauthorized');
      await app.close();
    });
  }
});
