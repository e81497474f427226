/**
 * The ledger part of `bench:intake`, run in a process of its own (`node --expose-gc`, with the
 * heap flags under test) so its RSS is the ledger's alone: 1,000,000 distinct fingerprints into a
 * ledger bounded at 10,000 entries. Reports the bound held, the peak RSS growth over the process
 * before the flood (garbage not yet collected included), and the heap retained after GC.
 */
import { DedupLedger } from '../src/dedup/ledger.ts';

/** What the parent prints. */
export type LedgerResult = { size: number; growthMb: number; retainedMb: number; seconds: number };

const COUNT = 1_000_000;
const BOUND = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;

function flood(): LedgerResult {
  gc?.();
  const before = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let t = Date.parse('2026-11-27T00:00:00Z');
  const ledger = new DedupLedger({ silencePeriodMs: 300_000, escalateAfter: 3, maxEntries: BOUND, now: () => t });
  let peak = before;
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    t += 1;
    ledger.record({ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', node: `node-${i}` }, annotations: {}, startsAt: null, endsAt: null, generatorURL: '', node: `node-${i}`, wantsEviction: true });
    if (i % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - started) / 1000;
  gc?.();
  return { size: ledger.size, growthMb: (peak - before) / 1e6, retainedMb: (process.memoryUsage().heapUsed - heapBefore) / 1e6, seconds };
}

process.send?.(flood());
