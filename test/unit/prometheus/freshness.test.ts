/**
 * Deciding on the samples of a combined usage query: fresh keys kept, stale ones dropped with
 * their age, nothing fresh means `stale`, nothing at all `missing`, broken series `bad-data`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeFreshness, type FreshnessSpec } from '../../../src/prometheus/freshness.ts';
import type { PromSample } from '../../../src/prometheus/types.ts';

const spec: FreshnessSpec = { what: 'node_usage', keyLabels: ['node'], keyOf: (l) => l.node ?? '', maxAgeSeconds: 120, custom: false, scope: 'for any node' };
const custom: FreshnessSpec = { ...spec, custom: true };

const usage = (node: string, value: number): PromSample => ({ labels: { node, headroom_series: 'usage' }, value, timestamp: 1 });
const age = (node: string, value: number): PromSample => ({ labels: { node, headroom_series: 'age' }, value, timestamp: 1 });
const selAge = (selector: string, value: number): PromSample => ({ labels: { headroom_selector: selector, headroom_series: 'age' }, value, timestamp: 1 });

describe('judgeFreshness', () => {
  it('keeps fresh keys; newest age is the youngest', () => {
    const r = judgeFreshness([usage('a', 100), age('a', 12), usage('b', 200), age('b', 3)], spec);
    assert.deepEqual(r, { ok: true, values: { a: 100, b: 200 }, newestSampleAgeSeconds: 3, dropped: [] });
  });

  it('drops a stale key, saying which and how old', () => {
    const r = judgeFreshness([usage('a', 100), age('a', 12), usage('b', 200), age('b', 183.4)], spec);
    assert.ok(r.ok);
    assert.deepEqual(r.values, { a: 100 });
    assert.deepEqual(r.dropped, [{ key: 'b', reason: 'stale', ageSeconds: 183.4, message: 'node_usage for b: newest sample 183 s old (max 120 s)' }]);
  });

  it('the age limit is inclusive', () => {
    assert.ok(judgeFreshness([usage('a', 1), age('a', 120)], spec).ok);
  });

  it('nothing fresh is stale, and the message names the series', () => {
    const r = judgeFreshness([usage('a', 100), age('a', 300)], spec);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'stale');
    assert.match(!r.ok ? r.message : '', /node_usage: nothing usable for any node \(1 series\): node_usage for a: newest sample 300 s old \(max 120 s\)/);
  });

  it('no series at all is missing', () => {
    const r = judgeFreshness([], spec);
    assert.equal(!r.ok && r.kind, 'missing');
    assert.match(!r.ok ? r.message : '', /returned no series for any node/);
  });

  it('a value without an age series is dropped as no-age', () => {
    const r = judgeFreshness([usage('a', 100), usage('b', 5), age('b', 1)], spec);
    assert.ok(r.ok);
    assert.deepEqual(r.dropped.map((d) => [d.key, d.reason]), [['a', 'no-age']]);
  });

  it('NaN, infinite and negative values are dropped; only those left is bad-data', () => {
    const r = judgeFreshness([usage('a', Number.NaN), age('a', 1), usage('b', -1), age('b', 1), usage('c', Number.POSITIVE_INFINITY), age('c', 1)], spec);
    assert.equal(!r.ok && r.kind, 'bad-data');
  });

  it('a series without the key label is bad-data naming the label', () => {
    const r = judgeFreshness([{ labels: { instance: '10.0.0.1:9100', headroom_series: 'usage' }, value: 1, timestamp: 1 }], spec);
    assert.equal(!r.ok && r.kind, 'bad-data');
    assert.match(!r.ok ? r.message : '', /must return the label "node" on every series; got \{instance="10.0.0.1:9100"\}/);
  });

  it('two series for one key is bad-data asking for an aggregation', () => {
    const r = judgeFreshness([usage('a', 1), { labels: { node: 'a', job: 'x', headroom_series: 'usage' }, value: 2, timestamp: 1 }], { ...spec, keyOf: (l) => l.node ?? '' });
    assert.equal(!r.ok && r.kind, 'bad-data');
    assert.match(!r.ok ? r.message : '', /more than one series for a: aggregate it by \(node\)/);
  });

  it('custom queries: a stale selector fails the read, naming it', () => {
    const r = judgeFreshness([usage('a', 1), selAge('my_bytes{x="1"}', 500), selAge('other', 2)], custom);
    assert.equal(!r.ok && r.kind, 'stale');
    assert.match(!r.ok ? r.message : '', /my_bytes\{x="1"\}: newest sample 500 s old/);
  });

  it('custom queries: fresh selectors give the oldest selector age to every key', () => {
    const r = judgeFreshness([usage('a', 1), usage('b', 2), selAge('s1', 4), selAge('s2', 9)], custom);
    assert.deepEqual(r, { ok: true, values: { a: 1, b: 2 }, newestSampleAgeSeconds: 9, dropped: [] });
  });
});
