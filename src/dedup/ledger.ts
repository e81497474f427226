/**
 * The de-duplication ledger: fingerprint -> entry, bounded in entries and in age so a storm of
 * distinct alerts cannot grow memory without limit. The clock is injected so tests never sleep.
 */
import { LRUCache } from 'lru-cache';
import type { Alert, AlertDelivery } from '../core/alert.ts';
import { priorityFromSeverity } from '../core/priority.ts';
import { decide, type DedupPolicy, type LedgerEntry } from './decide.ts';
import { fingerprint } from './fingerprint.ts';

/** Options of a ledger: the policy, its bound, and the clock (epoch ms). */
export type LedgerOptions = DedupPolicy & { maxEntries: number; now: () => number };

/** A bounded ledger that turns alerts into deliveries with their verdicts. */
export class DedupLedger {
  readonly #cache: LRUCache<string, LedgerEntry>;
  readonly #policy: DedupPolicy;
  readonly #now: () => number;

  constructor(options: LedgerOptions) {
    this.#policy = { silencePeriodMs: options.silencePeriodMs, escalateAfter: options.escalateAfter };
    this.#now = options.now;
    // An entry unseen for longer than this has lost its "consecutive" meaning; at least one hour
    // so Alertmanager's default repeat_interval (4 h is common, 1 h in our example) still counts.
    const ttl = Math.max(options.silencePeriodMs * 2, 3_600_000);
    // ttlResolution 0: lru-cache otherwise reuses one clock reading until a real 1 ms timer fires,
    // so an injected clock moved in between was ignored and stale entries counted as repeats.
    this.#cache = new LRUCache({ max: options.maxEntries, ttl, ttlResolution: 0, perf: { now: options.now } });
  }

  /** Records one delivery of `alert` and returns what to do with it. */
  record(alert: Alert): AlertDelivery {
    const fp = fingerprint(alert.status, alert.labels);
    if (alert.status === 'resolved') {
      // A resolution ends the firing streak: the next firing starts at count 1 again. And when a
      // firing streak was there, this resolution follows a new firing: it starts a new resolved
      // streak instead of repeating the previous resolution (a flapping alert's second recovery
      // must be notified, or the last message users see says "firing").
      if (this.#cache.delete(fingerprint('firing', alert.labels))) this.#cache.delete(fp);
    }
    const decision = decide(this.#cache.get(fp), priorityFromSeverity(alert.labels.severity), this.#now(), this.#policy);
    this.#cache.set(fp, decision.next);
    return { alert, fingerprint: fp, priority: decision.priority, count: decision.next.count, verdict: decision.verdict };
  }

  /** Entries held now; never above `maxEntries`. */
  get size(): number {
    return this.#cache.size;
  }
}
