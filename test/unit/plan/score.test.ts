import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageScore, memoryScore, qosScore, replicasScore, scorePod } from '../../../src/plan/score.ts';
import { GiB, NOW, ago, pod } from './builders.ts';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ~ ${expected}`);

describe('qosScore', () => {
  const rows = [
    { description: 'BestEffort goes first', qos: 'BestEffort', want: 100 },
    { description: 'Burstable', qos: 'Burstable', want: 60 },
    { description: 'Guaranteed last', qos: 'Guaranteed', want: 0 },
  ] as const;
  for (const row of rows) it(row.description, () => assert.equal(qosScore(row.qos), row.want));
});

describe('memoryScore: usage over the node\'s capacity', () => {
  const rows = [
    { description: 'a quarter of the node', usage: 4 * GiB, capacity: 16 * GiB, want: 25 },
    { description: 'nothing used', usage: 0, capacity: 16 * GiB, want: 0 },
    { description: 'more than the node (bad metrics) caps at 100', usage: 20 * GiB, capacity: 16 * GiB, want: 100 },
    { description: 'unknown capacity scores 0', usage: GiB, capacity: 0, want: 0 },
  ];
  for (const row of rows) it(row.description, () => close(memoryScore(row.usage, row.capacity), row.want));
});

describe('ageScore: 100 up to 1 h, 0 from 24 h, linear between', () => {
  const rows: ReadonlyArray<{ description: string; start: string | null; created?: string | null; want: number }> = [
    { description: 'just started', start: ago(0), want: 100 },
    { description: '59 minutes', start: ago(59), want: 100 },
    { description: 'exactly 1 h', start: ago(60), want: 100 },
    { description: '12.5 h is halfway', start: ago(12.5 * 60), want: 50 },
    { description: '6.75 h', start: ago(6.75 * 60), want: 75 },
    { description: 'exactly 24 h', start: ago(24 * 60), want: 0 },
    { description: 'a week', start: ago(7 * 24 * 60), want: 0 },
    { description: 'a start in the future (clock skew) is new', start: ago(-5), want: 100 },
    { description: 'no startTime: creationTimestamp', start: null, created: ago(12.5 * 60), want: 50 },
    { description: 'neither: 0, not preferred on a guess', start: null, created: null, want: 0 },
  ];
  for (const row of rows) it(row.description, () => close(ageScore(row.start, row.created ?? null, NOW), row.want));
});

describe('replicasScore: 1 -> 0, 4 or more -> 100, linear between', () => {
  const rows: ReadonlyArray<{ description: string; replicas: number | null; want: number }> = [
    { description: 'unknown counts as 1', replicas: null, want: 0 },
    { description: 'scaled to zero', replicas: 0, want: 0 },
    { description: 'one replica', replicas: 1, want: 0 },
    { description: 'two replicas', replicas: 2, want: 100 / 3 },
    { description: 'three replicas', replicas: 3, want: 200 / 3 },
    { description: 'four replicas', replicas: 4, want: 100 },
    { description: 'fifty replicas', replicas: 50, want: 100 },
  ];
  for (const row of rows) it(row.description, () => close(replicasScore(row.replicas), row.replicas === null ? 0 : row.want));
});

describe('scorePod: weighted sum', () => {
  it('applies the default weights 0.4 / 0.3 / 0.2 / 0.1', () => {
    const p = pod({ name: 'x', qosClass: 'BestEffort', usageBytes: 1.6 * GiB, startTime: ago(30), replicas: 4 });
    const s = scorePod(p, 16 * GiB, { qos: 0.4, memory: 0.3, age: 0.2, replicas: 0.1 }, NOW);
    assert.deepEqual(s.scores, { qos: 100, memory: 10, age: 100, replicas: 100 });
    close(s.score, 40 + 3 + 20 + 10);
  });

  it('applies configured weights', () => {
    const p = pod({ name: 'x', qosClass: 'Burstable', usageBytes: 8 * GiB, startTime: ago(24 * 60), replicas: 1 });
    close(scorePod(p, 16 * GiB, { qos: 0, memory: 1, age: 0, replicas: 0 }, NOW).score, 50);
  });
});
