/**
 * The pure de-duplication and escalation decision (S1.4, S1.5). No clock, no I/O: the ledger entry
 * and `now` come in, the verdict and the next entry go out, so every rule is a table test.
 */
import { raisePriority, type Priority } from '../core/priority.ts';

/** What the ledger remembers about one fingerprint. */
export type LedgerEntry = {
  /** Consecutive deliveries seen, this one included. */
  count: number;
  /** Epoch ms of the last delivery that was sent (not de-duplicated). */
  lastSentAt: number;
};

/** The knobs of the decision, from `dedup.*`. */
export type DedupPolicy = { silencePeriodMs: number; escalateAfter: number };

/** The verdict for one delivery and the entry to store for next time. */
export type Decision = {
  verdict: 'sent' | 'duplicate' | 'escalated';
  priority: Priority;
  next: LedgerEntry;
};

/**
 * Decides one delivery. Every `escalateAfter`-th consecutive delivery raises the priority one
 * level above the alert's base and is sent even inside the silence period; other repeats inside
 * the silence period are duplicates.
 */
export function decide(entry: LedgerEntry | undefined, base: Priority, nowMs: number, policy: DedupPolicy): Decision {
  const count = (entry?.count ?? 0) + 1;
  const levels = Math.floor(count / policy.escalateAfter);
  const priority = raisePriority(base, levels);
  if (count % policy.escalateAfter === 0) {
    return { verdict: 'escalated', priority, next: { count, lastSentAt: nowMs } };
  }
  if (entry !== undefined && nowMs - entry.lastSentAt < policy.silencePeriodMs) {
    return { verdict: 'duplicate', priority, next: { count, lastSentAt: entry.lastSentAt } };
  }
  return { verdict: 'sent', priority, next: { count, lastSentAt: nowMs } };
}
