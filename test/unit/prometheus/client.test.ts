/**
 * The PromQL client against a loopback server playing Prometheus: decoding (NaN, infinities,
 * scalars), GET versus POST, and every failure kind as a value, never a throw.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createPrometheusClient, type PrometheusClient } from '../../../src/prometheus/client.ts';
import type { PromFailure, QueryResult } from '../../../src/prometheus/types.ts';
import { freePort } from '../../stack/ports.ts';
import { startFakePrometheus, vectorBody, type FakeAnswer, type FakePrometheus } from './fake-prometheus.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

async function setup(answer: (q: string) => FakeAnswer, extra: { maxResponseBytes?: number; timeoutSignal?: (ms: number) => AbortSignal; path?: string } = {}): Promise<{ fake: FakePrometheus; client: PrometheusClient }> {
  const fake = await startFakePrometheus((req) => answer(req.params.get('query') ?? ''));
  const client = createPrometheusClient({ url: `${fake.url}${extra.path ?? ''}`, timeoutSeconds: 5, ...extra });
  closers.push(() => fake.close(), () => client.close());
  return { fake, client };
}

function failure(r: QueryResult): PromFailure {
  if (r.ok) assert.fail(`expected a failure, got ${JSON.stringify(r)}`);
  return r;
}

describe('prometheus client: answers', () => {
  it('decodes a vector with labels, NaN and both infinities', async () => {
    const { client } = await setup(() => ({
      body: vectorBody(1700000000.5, [
        [{ node: 'a' }, '12.5'],
        [{ node: 'b' }, 'NaN'],
        [{ node: 'c' }, '+Inf'],
        [{ node: 'd' }, '-Inf'],
        [{ node: 'e' }, '1.5e+09'],
      ]),
    }));
    const r = await client.query('up');
    assert.ok(r.ok && r.resultType === 'vector');
    assert.deepEqual(r.samples.map((s) => [s.labels.node, s.value, s.timestamp]), [
      ['a', 12.5, 1700000000.5],
      ['b', Number.NaN, 1700000000.5],
      ['c', Number.POSITIVE_INFINITY, 1700000000.5],
      ['d', Number.NEGATIVE_INFINITY, 1700000000.5],
      ['e', 1.5e9, 1700000000.5],
    ]);
  });

  it('decodes a scalar and passes warnings through', async () => {
    const { client } = await setup(() => ({ body: { status: 'success', warnings: ['partial'], data: { resultType: 'scalar', result: [1700000000, '42'] } } }));
    const r = await client.query('time()');
    assert.ok(r.ok && r.resultType === 'scalar');
    assert.equal(r.value, 42);
    assert.deepEqual(r.warnings, ['partial']);
  });

  it('sends a short query as GET with time and timeout, under a path prefix', async () => {
    const { fake, client } = await setup(() => ({ body: vectorBody(1, []) }), { path: '/prom' });
    const r = await client.query('sum(up)', new Date(1700000000123));
    assert.ok(r.ok);
    const seen = fake.requests[0];
    assert.ok(seen);
    assert.equal(seen.method, 'GET');
    assert.equal(seen.path, '/prom/api/v1/query');
    assert.equal(seen.params.get('query'), 'sum(up)');
    assert.equal(seen.params.get('time'), '1700000000.123');
    assert.equal(seen.params.get('timeout'), '5');
  });

  it('sends a long query as a form-encoded POST, intact', async () => {
    const { fake, client } = await setup(() => ({ body: vectorBody(1, []) }));
    const long = Array.from({ length: 80 }, (_, i) => `up{job="job-${i}", node="ü ${i}"}`).join(' or ');
    assert.ok(long.length > 1500);
    assert.ok((await client.query(long)).ok);
    const seen = fake.requests[0];
    assert.ok(seen);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.contentType, 'application/x-www-form-urlencoded');
    assert.equal(seen.params.get('query'), long);
  });
});

describe('prometheus client: failures are values', () => {
  it('unreachable: nothing listens on the port', async () => {
    const port = await freePort();
    const client = createPrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutSeconds: 5 });
    closers.push(() => client.close());
    const f = failure(await client.query('up'));
    assert.equal(f.kind, 'unreachable');
    assert.match(f.message, /127\.0\.0\.1.*ECONNREFUSED/);
  });

  it('timeout: the deadline fires while Prometheus has not answered', async () => {
    const deadline = new AbortController();
    const { fake, client } = await setup(() => 'hang', { timeoutSignal: () => deadline.signal });
    const arrived = fake.nextRequest();
    const pending = client.query('up');
    await arrived;
    deadline.abort(new DOMException('deadline', 'TimeoutError'));
    const f = failure(await pending);
    assert.equal(f.kind, 'timeout');
    assert.match(f.message, /no answer within 5000 ms/);
  });

  it('timeout: Prometheus gave up itself (errorType timeout)', async () => {
    const { client } = await setup(() => ({ status: 503, body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' } }));
    const f = failure(await client.query('up'));
    assert.equal(f.kind, 'timeout');
    assert.match(f.message, /query timed out/);
  });

  it('http: a 500 with an HTML page', async () => {
    const { client } = await setup(() => ({ status: 500, body: '<html>Internal Server Error</html>', contentType: 'text/html' }));
    const f = failure(await client.query('up'));
    assert.equal(f.kind, 'http');
    assert.equal(f.status, 500);
    assert.match(f.message, /HTTP 500: <html>Internal Server Error/);
  });

  it('http: a 502 with an empty body', async () => {
    const { client } = await setup(() => ({ status: 502, body: '' }));
    const f = failure(await client.query('up'));
    assert.equal(f.kind, 'http');
    assert.match(f.message, /HTTP 502: \(empty body\)/);
  });

  it('bad-data: a 200 whose body is not JSON', async () => {
    const { client } = await setup(() => ({ body: '{"status":"success", "data": {' }));
    assert.equal(failure(await client.query('up')).kind, 'bad-data');
  });

  const shapes: Array<{ description: string; body: unknown; message: RegExp }> = [
    { description: 'a matrix result', body: { status: 'success', data: { resultType: 'matrix', result: [] } }, message: /not "matrix"/ },
    { description: 'a value that is no number', body: vectorBody(1, [[{}, 'twelve']]), message: /not "twelve"/ },
    { description: 'a numeric value', body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 12] }] } }, message: /not 12/ },
    { description: 'a label that is no string', body: { status: 'success', data: { resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] } }, message: /metric/ },
    { description: 'a native histogram', body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, histogram: [1, {}] }] } }, message: /native histogram/ },
  ];
  for (const row of shapes) {
    it(`bad-data: ${row.description}`, async () => {
      const { client } = await setup(() => ({ body: row.body }));
      const f = failure(await client.query('up'));
      assert.equal(f.kind, 'bad-data');
      assert.match(f.message, row.message);
    });
  }

  it('query-error: Prometheus refuses the PromQL (400 bad_data)', async () => {
    const { client } = await setup(() => ({ status: 400, body: { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected end of input' } }));
    const f = failure(await client.query('sum('));
    assert.equal(f.kind, 'query-error');
    assert.equal(f.status, 400);
    assert.match(f.message, /bad_data\): 1:5: parse error/);
  });

  it('query-error: evaluation fails (422 execution)', async () => {
    const { client } = await setup(() => ({ status: 422, body: { status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed' } }));
    assert.equal(failure(await client.query('a / b')).kind, 'query-error');
  });

  for (const chunked of [false, true]) {
    it(`bad-data: an answer over the size cap (${chunked ? 'chunked' : 'content-length'})`, async () => {
      const rows = Array.from({ length: 200 }, (_, i): [Record<string, string>, string] => [{ pod: `pod-${i}` }, '1']);
      const { client } = await setup(() => ({ body: vectorBody(1, rows), chunked }), { maxResponseBytes: 2048 });
      const f = failure(await client.query('up'));
      assert.equal(f.kind, 'bad-data');
      assert.match(f.message, /larger than 2048 bytes/);
    });
  }
});
