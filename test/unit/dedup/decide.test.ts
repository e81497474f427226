import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PRIORITIES, type Priority } from '../../../src/core/priority.ts';
import { decide, type DedupPolicy, type LedgerEntry } from '../../../src/dedup/decide.ts';

const policy: DedupPolicy = { silencePeriodMs: 300_000, escalateAfter: 3 };
const T0 = Date.parse('2026-11-27T12:00:00Z');
const s = (seconds: number): number => T0 + seconds * 1000;

describe('decide: one delivery against its ledger entry', () => {
  const table: Array<{ description: string; entry: LedgerEntry | undefined; base: Priority; now: number; policy?: DedupPolicy; verdict: string; priority: Priority; next: LedgerEntry }> = [
    { description: 'first delivery is sent at the base priority', entry: undefined, base: 'warning', now: s(0), verdict: 'sent', priority: 'warning', next: { count: 1, lastSentAt: s(0) } },
    { description: 'repeat inside the silence period is a duplicate, lastSentAt kept', entry: { count: 1, lastSentAt: s(0) }, base: 'warning', now: s(60), verdict: 'duplicate', priority: 'warning', next: { count: 2, lastSentAt: s(0) } },
    { description: 'repeat one ms before the silence ends is a duplicate', entry: { count: 1, lastSentAt: s(0) }, base: 'warning', now: s(300) - 1, verdict: 'duplicate', priority: 'warning', next: { count: 2, lastSentAt: s(0) } },
    { description: 'repeat exactly when the silence ends is sent', entry: { count: 1, lastSentAt: s(0) }, base: 'warning', now: s(300), verdict: 'sent', priority: 'warning', next: { count: 2, lastSentAt: s(300) } },
    { description: 'repeat after the silence period is sent', entry: { count: 1, lastSentAt: s(0) }, base: 'critical', now: s(301), verdict: 'sent', priority: 'critical', next: { count: 2, lastSentAt: s(301) } },
    { description: '3rd consecutive inside the silence: escalated one level', entry: { count: 2, lastSentAt: s(0) }, base: 'warning', now: s(10), verdict: 'escalated', priority: 'critical', next: { count: 3, lastSentAt: s(10) } },
    { description: '3rd consecutive after the silence: escalated too', entry: { count: 2, lastSentAt: s(0) }, base: 'info', now: s(900), verdict: 'escalated', priority: 'warning', next: { count: 3, lastSentAt: s(900) } },
    { description: '4th inside the silence of the escalation: duplicate, priority stays raised', entry: { count: 3, lastSentAt: s(10) }, base: 'warning', now: s(20), verdict: 'duplicate', priority: 'critical', next: { count: 4, lastSentAt: s(10) } },
    { description: '5th after the silence: sent at the raised priority', entry: { count: 4, lastSentAt: s(10) }, base: 'warning', now: s(400), verdict: 'sent', priority: 'critical', next: { count: 5, lastSentAt: s(400) } },
    { description: '6th consecutive: escalated two levels', entry: { count: 5, lastSentAt: s(400) }, base: 'info', now: s(401), verdict: 'escalated', priority: 'critical', next: { count: 6, lastSentAt: s(401) } },
    { description: '6th of a warning: emergency', entry: { count: 5, lastSentAt: s(0) }, base: 'warning', now: s(1), verdict: 'escalated', priority: 'emergency', next: { count: 6, lastSentAt: s(1) } },
    { description: '3rd of a critical: emergency', entry: { count: 2, lastSentAt: s(0) }, base: 'critical', now: s(1), verdict: 'escalated', priority: 'emergency', next: { count: 3, lastSentAt: s(1) } },
    { description: '6th of a critical saturates at emergency', entry: { count: 5, lastSentAt: s(0) }, base: 'critical', now: s(1), verdict: 'escalated', priority: 'emergency', next: { count: 6, lastSentAt: s(1) } },
    { description: 'an emergency stays emergency', entry: { count: 2, lastSentAt: s(0) }, base: 'emergency', now: s(1), verdict: 'escalated', priority: 'emergency', next: { count: 3, lastSentAt: s(1) } },
    { description: '30th of an info saturates at emergency', entry: { count: 29, lastSentAt: s(0) }, base: 'info', now: s(1), verdict: 'escalated', priority: 'emergency', next: { count: 30, lastSentAt: s(1) } },
    {
      description: 'escalate_after 5: the 3rd is a plain duplicate',
      entry: { count: 2, lastSentAt: s(0) },
      base: 'warning',
      now: s(1),
      policy: { silencePeriodMs: 300_000, escalateAfter: 5 },
      verdict: 'duplicate',
      priority: 'warning',
      next: { count: 3, lastSentAt: s(0) },
    },
    {
      description: 'escalate_after 5: the 5th escalates',
      entry: { count: 4, lastSentAt: s(0) },
      base: 'warning',
      now: s(1),
      policy: { silencePeriodMs: 300_000, escalateAfter: 5 },
      verdict: 'escalated',
      priority: 'critical',
      next: { count: 5, lastSentAt: s(1) },
    },
    {
      description: 'silence 0: every repeat is sent',
      entry: { count: 1, lastSentAt: s(0) },
      base: 'warning',
      now: s(0),
      policy: { silencePeriodMs: 0, escalateAfter: 3 },
      verdict: 'sent',
      priority: 'warning',
      next: { count: 2, lastSentAt: s(0) },
    },
  ];
  for (const row of table) {
    it(row.description, () => {
      const d = decide(row.entry, row.base, row.now, row.policy ?? policy);
      assert.deepEqual({ verdict: d.verdict, priority: d.priority, next: d.next }, { verdict: row.verdict, priority: row.priority, next: row.next });
    });
  }

  it('does not modify the entry it is given', () => {
    const entry = { count: 2, lastSentAt: s(0) };
    decide(entry, 'warning', s(1), policy);
    assert.deepEqual(entry, { count: 2, lastSentAt: s(0) });
  });

  it('a stream of repeats every minute: sent, dup, ESC, dup, dup, ESC, ...', () => {
    let entry: LedgerEntry | undefined;
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) {
      const d = decide(entry, 'warning', s(i * 60), policy);
      seen.push(`${d.verdict}:${d.priority}`);
      entry = d.next;
    }
    assert.deepEqual(seen, [
      'sent:warning',
      'duplicate:warning',
      'escalated:critical',
      'duplicate:critical',
      'duplicate:critical',
      'escalated:emergency',
      'duplicate:emergency',
      'duplicate:emergency',
      'escalated:emergency',
    ]);
  });

  it('properties: every escalate_after-th delivery escalates; never below the base; count grows by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.constantFrom(...PRIORITIES),
        fc.array(fc.integer({ min: 0, max: 900_000 }), { minLength: 1, maxLength: 40 }),
        (escalateAfter, silencePeriodMs, base, gaps) => {
          let entry: LedgerEntry | undefined;
          let now = T0;
          for (const gap of gaps) {
            now += gap;
            const d = decide(entry, base, now, { escalateAfter, silencePeriodMs });
            assert.equal(d.next.count, (entry?.count ?? 0) + 1);
            assert.equal(d.verdict === 'escalated', d.next.count % escalateAfter === 0);
            assert.ok(PRIORITIES.indexOf(d.priority) >= PRIORITIES.indexOf(base));
            if (d.verdict === 'duplicate') {
              assert.ok(entry !== undefined && now - entry.lastSentAt < silencePeriodMs);
              assert.equal(d.next.lastSentAt, entry.lastSentAt);
            } else {
              assert.equal(d.next.lastSentAt, now);
            }
            entry = d.next;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
