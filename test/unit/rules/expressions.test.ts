import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationSeconds } from '../../../src/rules/duration.ts';
import { minTrendSamples, ratio, usageRecordExpr } from '../../../src/rules/expressions.ts';
import { configOf } from './helpers.ts';

describe('rule expression helpers', () => {
  it('turns config percentages into ratios without float noise', () => {
    assert.deepEqual([93, 88, 70, 10, 87.5, 57, 100].map(ratio), ['0.93', '0.88', '0.7', '0.1', '0.875', '0.57', '1']);
  });

  it('parses the durations the config accepts and rejects others', () => {
    assert.equal(durationSeconds('15s'), 15);
    assert.equal(durationSeconds('10m'), 600);
    assert.equal(durationSeconds('2h'), 7200);
    assert.equal(durationSeconds('500ms'), 0.5);
    assert.throws(() => durationSeconds('1m30s'), /not a Prometheus duration/);
    assert.throws(() => durationSeconds('5'), /not a Prometheus duration/);
  });

  it('asks for half the trend window in samples, and never fewer than 3', () => {
    assert.equal(minTrendSamples(configOf({})), 20);
    assert.equal(minTrendSamples(configOf({ rules: { evaluation_interval: '30s', trend: { window: '1h' } } })), 60);
    assert.equal(minTrendSamples(configOf({ rules: { evaluation_interval: '1m', trend: { window: '2m' } } })), 3);
  });

  it('records usage from node-exporter with the node name from instance', () => {
    const expr = usageRecordExpr();
    assert.match(expr, /^max by \(node\) \(/);
    assert.match(expr, /1 - node_memory_MemAvailable_bytes \/ node_memory_MemTotal_bytes/);
    assert.match(expr, /"node", "\$1", "instance", "\(\.\+\?\)\(\?::\[0-9\]\+\)\?"/);
  });
});
