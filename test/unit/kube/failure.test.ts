import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyError, fromHttp, parseStatus } from '../../../src/kube/failure.ts';

const status = (code: number, reason: string, message: string, causes?: Array<{ reason: string; message: string }>, retryAfterSeconds?: number): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details: { causes, retryAfterSeconds } });

const table: Array<{ description: string; code: number; body: string; headers?: Record<string, string>; kind: string; retryable: boolean }> = [
  { description: 'PDB refusal names the budget', code: 429, body: status(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]), kind: 'pdb-refused', retryable: false },
  { description: 'PDB not yet processed is a refusal too', code: 429, body: status(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", [{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }]), kind: 'pdb-refused', retryable: false },
  { description: 'APF 429 is come-back-later', code: 429, body: status(429, 'TooManyRequests', 'Too many requests, please try again later.', undefined, 2), headers: { 'retry-after': '2' }, kind: 'too-many-requests', retryable: true },
  { description: 'several PDBs is a 500 that must not be retried', code: 500, body: status(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'), kind: 'several-pdbs', retryable: false },
  { description: 'other 500 is retryable', code: 500, body: status(500, 'InternalError', 'etcdserver: request timed out'), kind: 'server', retryable: true },
  { description: '503 from a proxy with a text body', code: 503, body: 'upstream unavailable', kind: 'server', retryable: true },
  { description: '404 is gone', code: 404, body: status(404, 'NotFound', 'pods "x" not found'), kind: 'gone', retryable: false },
  { description: '403 is forbidden', code: 403, body: status(403, 'Forbidden', 'pods "x" is forbidden: User "u" cannot create resource "pods/eviction"'), kind: 'forbidden', retryable: false },
  { description: '409 is a conflict', code: 409, body: status(409, 'Conflict', 'the object has been modified'), kind: 'conflict', retryable: false },
  { description: '410 is an expired continue token', code: 410, body: status(410, 'Expired', 'The provided continue parameter is too old'), kind: 'expired', retryable: false },
  { description: '422 is invalid', code: 422, body: status(422, 'Invalid', 'bad'), kind: 'invalid', retryable: false },
];

for (const row of table) {
  test(`fromHttp: ${row.description}`, () => {
    const f = fromHttp(row.code, row.body, row.headers);
    assert.equal(f.kind, row.kind);
    assert.equal(f.retryable, row.retryable);
    assert.equal(f.status, row.code);
    assert.ok(f.message.length > 0);
  });
}

test('the PDB cause is kept in the message, and Retry-After is read', () => {
  assert.match(fromHttp(table[0]!.code, table[0]!.body).message, /needs 2 healthy pods/);
  assert.equal(fromHttp(429, table[2]!.body, table[2]!.headers).retryAfterSeconds, 2);
  assert.equal(fromHttp(503, 'x', { 'retry-after': '5' }).retryAfterSeconds, 5);
});

test('classifyError: ApiException-like, timeout, network and caller abort', () => {
  assert.equal(classifyError({ code: 404, body: status(404, 'NotFound', 'gone') }, false).kind, 'gone');
  const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  assert.deepEqual([classifyError(timeout, false).kind, classifyError(timeout, false).retryable], ['timeout', true]);
  const net = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' } });
  const f = classifyError(net, false);
  assert.deepEqual([f.kind, f.retryable, f.reason], ['network', true, 'ECONNREFUSED']);
  assert.equal(classifyError(new DOMException('aborted', 'AbortError'), true).kind, 'aborted');
});

test('parseStatus accepts text or objects and rejects non-Status', () => {
  assert.equal(parseStatus('not json'), null);
  assert.equal(parseStatus(42), null);
  assert.equal(parseStatus({ kind: 'Status', message: 'm' })?.message, 'm');
});
