import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from '../../../src/facts/gather-cache.ts';

/** A load the test finishes by hand. */
function deferred(value: string) {
  let finish!: () => void;
  const promise = new Promise<{ ok: true; value: string }>((resolve) => (finish = () => resolve({ ok: true, value })));
  return { promise, finish };
}

describe('TtlCache', () => {
  it('serves a stored value while fresh and reloads after the TTL', async () => {
    let now = 0;
    const cache = new TtlCache<string, string>({ ttlSeconds: 60, max: 10, nowMs: () => now });
    let loads = 0;
    const load = async () => ({ ok: true as const, value: `v${++loads}` });
    assert.deepEqual(await cache.fetch('k', load), { ok: true, value: 'v1' });
    assert.deepEqual(await cache.fetch('k', load), { ok: true, value: 'v1' });
    now = 60_000;
    assert.deepEqual(await cache.fetch('k', load), { ok: true, value: 'v2' });
  });

  it('shares one load between concurrent callers', async () => {
    const cache = new TtlCache<string, string>({ ttlSeconds: 60, max: 10, nowMs: () => 0 });
    const d = deferred('one');
    let loads = 0;
    const load = () => (loads++, d.promise);
    const both = Promise.all([cache.fetch('k', load), cache.fetch('k', load)]);
    d.finish();
    assert.deepEqual((await both).map((r) => r.ok && r.value), ['one', 'one']);
    assert.equal(loads, 1);
  });

  it('stores a load that started before markStale as stale, and later callers do not join it', async () => {
    const cache = new TtlCache<string, string>({ ttlSeconds: 60, max: 10, nowMs: () => 0 });
    const before = deferred('read before the eviction');
    const after = deferred('read after the eviction');
    const first = cache.fetch('sums', () => before.promise);
    cache.markStale(); // an eviction happened while the first read was in flight
    const second = cache.fetch('sums', () => after.promise);
    before.finish();
    after.finish();
    assert.deepEqual(await first, { ok: true, value: 'read before the eviction' });
    assert.deepEqual(await second, { ok: true, value: 'read after the eviction' });
    assert.equal(cache.get('sums'), 'read after the eviction');
  });

  it('runs one load of a key at a time: refreshes asked for during a load share one queued after it', async () => {
    const cache = new TtlCache<string, string>({ ttlSeconds: 60, max: 10, nowMs: () => 0 });
    const running: string[] = [];
    let most = 0;
    const loads: Array<ReturnType<typeof deferred>> = [];
    const load = () => {
      const d = deferred(`load ${loads.length + 1}`);
      loads.push(d);
      running.push('x');
      most = Math.max(most, running.length);
      return d.promise.finally(() => running.pop());
    };
    const first = cache.fetch('sums', load);
    const waiting: Array<Promise<unknown>> = [];
    for (let i = 0; i < 5; i++) {
      cache.markStale(); // five evictions while the first fold runs
      waiting.push(cache.fetch('sums', load));
    }
    assert.equal(loads.length, 1, 'nothing starts beside the running load');
    loads[0]?.finish();
    assert.deepEqual(await first, { ok: true, value: 'load 1' });
    await new Promise((r) => setImmediate(r));
    assert.equal(loads.length, 2, 'one queued load starts after it');
    loads[1]?.finish();
    const answers = await Promise.all(waiting);
    assert.deepEqual(answers, Array(5).fill({ ok: true, value: 'load 2' }), 'the five callers shared it');
    assert.equal(most, 1);
    assert.equal(cache.get('sums'), 'load 2', 'it read the world after the last eviction: fresh');
  });

  it('never serves as fresh a value whose load straddled markStale', async () => {
    const cache = new TtlCache<string, string>({ ttlSeconds: 60, max: 10, nowMs: () => 0 });
    const before = deferred('old');
    const first = cache.fetch('sums', () => before.promise);
    cache.markStale();
    before.finish();
    await first;
    assert.equal(cache.get('sums'), undefined, 'stored, but stale: the next fetch reloads');
  });

  it('keeps at most max keys, dropping the oldest', () => {
    const cache = new TtlCache<string, number>({ ttlSeconds: 60, max: 2, nowMs: () => 0 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('c'), 3);
  });
});
