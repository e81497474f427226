import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../../src/core/alert.ts';
import { DedupLedger } from '../../../src/dedup/ledger.ts';

function alert(labels: Record<string, string>, status: Alert['status'] = 'firing', annotations: Record<string, string> = {}): Alert {
  return { status, labels, annotations, startsAt: null, endsAt: null, generatorURL: '', node: labels.node ?? null, wantsEviction: false };
}

function ledger(options: { maxEntries?: number; silenceSeconds?: number; escalateAfter?: number } = {}): { ledger: DedupLedger; clock: { ms: number }; advance: (seconds: number) => void } {
  const clock = { ms: Date.parse('2026-11-27T12:00:00Z') };
  const l = new DedupLedger({
    silencePeriodMs: (options.silenceSeconds ?? 300) * 1000,
    escalateAfter: options.escalateAfter ?? 3,
    maxEntries: options.maxEntries ?? 10_000,
    now: () => clock.ms,
  });
  return { ledger: l, clock, advance: (seconds) => (clock.ms += seconds * 1000) };
}

const warning = { alertname: 'NodeMemoryPressureWarning', severity: 'warning', node: 'worker-1' };

describe('DedupLedger', () => {
  it('turns repeated deliveries into sent, duplicate, escalated with the severity as base priority', () => {
    const { ledger: l, advance } = ledger();
    const seen = [];
    for (let i = 0; i < 6; i++) {
      const d = l.record(alert(warning));
      seen.push([d.verdict, d.priority, d.count]);
      advance(30);
    }
    assert.deepEqual(seen, [
      ['sent', 'warning', 1],
      ['duplicate', 'warning', 2],
      ['escalated', 'critical', 3],
      ['duplicate', 'critical', 4],
      ['duplicate', 'critical', 5],
      ['escalated', 'emergency', 6],
    ]);
  });

  const severities: Array<{ description: string; severity: string | undefined; priority: string }> = [
    { description: 'severity critical starts at critical', severity: 'critical', priority: 'critical' },
    { description: 'severity warning starts at warning', severity: 'warning', priority: 'warning' },
    { description: 'severity page starts at emergency', severity: 'page', priority: 'emergency' },
    { description: 'an unknown severity starts at info', severity: 'whatever', priority: 'info' },
    { description: 'no severity starts at info', severity: undefined, priority: 'info' },
  ];
  for (const row of severities) {
    it(row.description, () => {
      const { ledger: l } = ledger();
      const labels: Record<string, string> = { alertname: 'X' };
      if (row.severity !== undefined) labels.severity = row.severity;
      assert.equal(l.record(alert(labels)).priority, row.priority);
    });
  }

  it('returns the fingerprint and the alert with each delivery', () => {
    const { ledger: l } = ledger();
    const a = alert(warning);
    const d = l.record(a);
    assert.equal(d.alert, a);
    assert.match(d.fingerprint, /^[0-9a-f]{32}$/);
  });

  it('ignores annotations: a changed usage value is still a repeat', () => {
    const { ledger: l } = ledger();
    assert.equal(l.record(alert(warning, 'firing', { value: '91.2' })).verdict, 'sent');
    assert.equal(l.record(alert(warning, 'firing', { value: '93.7', summary: 'other text' })).verdict, 'duplicate');
  });

  it('keeps separate streaks for different labels', () => {
    const { ledger: l } = ledger();
    l.record(alert(warning));
    l.record(alert(warning));
    assert.equal(l.record(alert({ ...warning, node: 'worker-2' })).verdict, 'sent');
    assert.equal(l.record(alert(warning)).verdict, 'escalated');
  });

  it('a resolved alert resets the firing streak: the next firing starts at count 1 and is sent', () => {
    const { ledger: l, advance } = ledger();
    l.record(alert(warning));
    advance(10);
    l.record(alert(warning));
    advance(10);
    const resolved = l.record(alert(warning, 'resolved'));
    assert.equal(resolved.verdict, 'sent');
    advance(10);
    const again = l.record(alert(warning));
    assert.deepEqual([again.verdict, again.count, again.priority], ['sent', 1, 'warning']);
    advance(10);
    assert.equal(l.record(alert(warning)).verdict, 'duplicate');
    advance(10);
    assert.equal(l.record(alert(warning)).verdict, 'escalated');
  });

  it('a resolution repeated inside the silence period is a duplicate', () => {
    const { ledger: l, advance } = ledger();
    l.record(alert(warning));
    assert.equal(l.record(alert(warning, 'resolved')).verdict, 'sent');
    advance(60);
    assert.equal(l.record(alert(warning, 'resolved')).verdict, 'duplicate');
  });

  it('a flapping alert: the second resolution after a new firing is sent, not swallowed', () => {
    const { ledger: l, advance } = ledger();
    const verdicts = [];
    for (const status of ['firing', 'resolved', 'firing', 'resolved'] as const) {
      verdicts.push(`${status}:${l.record(alert(warning, status)).verdict}`);
      advance(60);
    }
    assert.deepEqual(verdicts, ['firing:sent', 'resolved:sent', 'firing:sent', 'resolved:sent']);
  });

  it('stays within max_entries: 50,000 distinct fingerprints with a bound of 1,000', () => {
    const { ledger: l, clock } = ledger({ maxEntries: 1000 });
    for (let i = 0; i < 50_000; i++) {
      clock.ms += 1;
      l.record(alert({ alertname: 'Flood', node: `node-${i}` }));
      if (i % 5000 === 0) assert.ok(l.size <= 1000, `size ${l.size} at ${i}`);
    }
    assert.ok(l.size <= 1000);
    assert.ok(l.size > 0);
    // The most recent fingerprints are the ones kept: a repeat of the last one is still a duplicate.
    assert.equal(l.record(alert({ alertname: 'Flood', node: 'node-49999' })).verdict, 'duplicate');
    // The oldest was evicted: a repeat starts a new streak.
    assert.equal(l.record(alert({ alertname: 'Flood', node: 'node-0' })).count, 1);
  });

  it('forgets an entry unseen for longer than its age bound (max(2 x silence, 1 h))', () => {
    const { ledger: l, advance } = ledger({ silenceSeconds: 300 });
    l.record(alert(warning));
    advance(1);
    l.record(alert(warning));
    advance(3600 + 1);
    const later = l.record(alert(warning));
    assert.deepEqual([later.verdict, later.count], ['sent', 1]);
  });

  it('keeps an entry seen again within the age bound: the streak continues', () => {
    const { ledger: l, advance } = ledger({ silenceSeconds: 300 });
    l.record(alert(warning));
    advance(3000);
    assert.equal(l.record(alert(warning)).count, 2);
    advance(3000);
    const third = l.record(alert(warning));
    assert.deepEqual([third.verdict, third.count], ['escalated', 3]);
  });

  it('uses twice the silence period as the age bound when that is longer than an hour', () => {
    const { ledger: l, advance } = ledger({ silenceSeconds: 3600 });
    l.record(alert(warning));
    advance(7000);
    assert.equal(l.record(alert(warning)).count, 2);
    advance(7201);
    assert.equal(l.record(alert(warning)).count, 1);
  });

  it('reads the injected clock on every call, even several calls within the same real millisecond', () => {
    const { ledger: l, advance } = ledger();
    for (let round = 0; round < 20; round++) {
      l.record(alert(warning));
      l.record(alert(warning));
      advance(7200);
      const d = l.record(alert(warning));
      assert.deepEqual([d.verdict, d.count], ['sent', 1], `round ${round}`);
      advance(7200);
    }
  });
});
