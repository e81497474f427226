import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket, type Timing } from '../../../src/kube/rate-limit.ts';

/** A clock that only moves when a sleeper sleeps. */
function fakeTiming(): Timing & { slept: number[]; t: number } {
  const f = {
    t: 0,
    slept: [] as number[],
    nowMs: () => f.t,
    sleep: async (ms: number) => {
      f.slept.push(ms);
      f.t += ms;
    },
  };
  return f;
}

test('a burst passes at once, then calls are spaced at 1/qps', async () => {
  const timing = fakeTiming();
  const bucket = new TokenBucket({ qps: 20, burst: 40, timing });
  for (let i = 0; i < 40; i++) await bucket.take();
  assert.deepEqual(timing.slept, []);
  await bucket.take();
  await bucket.take();
  assert.deepEqual(timing.slept.map((ms) => Math.round(ms)), [50, 50]);
});

test('tokens refill with time, up to the burst', async () => {
  const timing = fakeTiming();
  const bucket = new TokenBucket({ qps: 10, burst: 2, timing });
  await bucket.take();
  await bucket.take();
  timing.t += 10_000;
  assert.equal(bucket.waitMs, 0);
  await bucket.take();
  await bucket.take();
  assert.equal(timing.slept.length, 0);
  await bucket.take();
  assert.equal(timing.slept.length, 1);
});

test('concurrent waiters reserve in order, an aborted wait gives its token back', async () => {
  const timing = fakeTiming();
  const bucket = new TokenBucket({ qps: 1, burst: 1, timing: { ...timing, sleep: async (ms, signal) => { if (signal?.aborted) throw new Error('aborted'); timing.slept.push(ms); } } });
  await bucket.take();
  await Promise.all([bucket.take(), bucket.take()]);
  assert.deepEqual(timing.slept, [1000, 2000]);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(bucket.take(ac.signal));
});

test('bad settings are a bug', () => {
  assert.throws(() => new TokenBucket({ qps: 0, burst: 1 }));
});
