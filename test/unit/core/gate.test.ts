import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evictionGate } from '../../../src/core/gate.ts';

describe('evictionGate', () => {
  const rows: Array<{ description: string; alertnames: string[]; level: number; alert: number; expected: number }> = [
    { description: 'a level alert acts at memory_eviction', alertnames: ['NodeMemoryPressureCritical'], level: 93, alert: 88, expected: 93 },
    { description: 'the trend alert acts from memory_alert', alertnames: ['NodeMemoryGrowthTrend'], level: 93, alert: 88, expected: 88 },
    { description: 'coalesced level and trend alerts: the earlier gate', alertnames: ['NodeMemoryGrowthTrend', 'NodeMemoryPressureCritical'], level: 93, alert: 88, expected: 88 },
    { description: 'a maintenance target below memory_alert is kept', alertnames: ['NodeMemoryGrowthTrend'], level: 75, alert: 88, expected: 75 },
    { description: 'a configured alertname is a level alert', alertnames: ['MyNodeAlert'], level: 93, alert: 88, expected: 93 },
  ];
  for (const row of rows) {
    it(row.description, () => assert.equal(evictionGate(row.alertnames, row.level, row.alert), row.expected));
  }
});
