import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, withRetry, type RetryPolicy } from '../../../src/kube/retry.ts';
import type { KubeFailure, KubeResult } from '../../../src/kube/types.ts';
import { failure } from './fake-api.ts';

const policy: RetryPolicy = { attempts: 4, baseMs: 100, maxMs: 1000, random: () => 0.5 };
const timing = (slept: number[]) => ({ nowMs: () => 0, sleep: async (ms: number) => void slept.push(ms) });

test('retryable failures are retried with jittered, capped back-off', async () => {
  const slept: number[] = [];
  let n = 0;
  const { result, attempts } = await withRetry(async (): Promise<KubeResult<string>> => (++n < 3 ? { ok: false, failure: failure('server', 503, true) } : { ok: true, value: 'ok' }), policy, timing(slept));
  assert.deepEqual([result.ok, attempts, slept], [true, 3, [50, 100]]);
});

test('retries stop after the attempts, and never for a final answer', async () => {
  const slept: number[] = [];
  const gaveUp = await withRetry(async (): Promise<KubeResult<string>> => ({ ok: false, failure: failure('server', 503, true) }), policy, timing(slept));
  assert.deepEqual([gaveUp.attempts, slept.length], [4, 3]);
  const final = await withRetry(async (): Promise<KubeResult<string>> => ({ ok: false, failure: failure('pdb-refused', 429) }), policy, timing([]));
  assert.equal(final.attempts, 1);
});

test('back-off: full jitter under an exponential ceiling, Retry-After wins (capped)', () => {
  const f: KubeFailure = failure('server', 503, true);
  const max = { ...policy, random: () => 0.999999 };
  assert.deepEqual([1, 2, 3, 4, 5].map((i) => backoffMs(max, i, f)), [99, 199, 399, 799, 999]);
  assert.equal(backoffMs(policy, 1, { ...f, retryAfterSeconds: 0.3 }), 300);
  assert.equal(backoffMs(policy, 1, { ...f, retryAfterSeconds: 60 }), 1000);
});

test('an abort during back-off ends as aborted', async () => {
  const r = await withRetry(async (): Promise<KubeResult<string>> => ({ ok: false, failure: failure('server', 503, true) }), policy, { nowMs: () => 0, sleep: () => Promise.reject(new Error('aborted')) });
  assert.equal(r.result.ok ? 'ok' : r.result.failure.kind, 'aborted');
});
