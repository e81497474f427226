/**
 * The tables of part 1 of bench:decision: the round trips, webhook -> first eviction request
 * (warm and cold) with the overhead against the round trips, and where the decision time goes
 * (every call headroom made before its first eviction request, and the time with none open).
 */
import type { KindedHop } from './decision-helper-client.ts';
import { TRIPS, type Trip } from './decision-samples.ts';
import { ms, percentile, table } from './decision-stats.ts';

/**
 * One alert's measurement; times are milliseconds after the webhook POST left its sender (the
 * helper process). `received` is when headroom's HTTP server had the request.
 */
export type Alert = { node: string; decision: number; received: number; answered: number; logged: number; hops: KindedHop[] };

const SUMS = 'kube: list all pods (request sums)';

const LABELS: Record<Trip, string> = {
  prom: 'Prometheus instant query, per-pod usage of one node (src/prometheus client), direct',
  evict: 'dry-run eviction (src/kube client), direct',
  promProxied: 'Prometheus query, through the recording proxy',
  evictProxied: 'dry-run eviction, through the recording proxy',
  podsClient: "list one node's pods (src/kube client, as headroom lists them), direct",
  podsRaw: '  the same request as a plain keep-alive HTTPS GET',
  podsCache: '  that GET with resourceVersion=0 (served from the watch cache)',
};

const p50 = (xs: readonly number[]): number => percentile(xs, 50);

/** Prints the round trips; returns the baseline (sum of the p50s, direct and through the proxies). */
export function printRoundTrips(samples: ReadonlyArray<Record<Trip, number>>): { direct: number; proxied: number } {
  const col = (t: Trip) => samples.map((s) => s[t]);
  const row = (t: Trip) => [LABELS[t], ms(p50(col(t))), ms(percentile(col(t), 95)), ms(Math.max(...col(t)))];
  const direct = p50(col('prom')) + p50(col('evict'));
  const proxied = p50(col('promProxied')) + p50(col('evictProxied'));
  console.log(`\n  Round trips, ${samples.length} samples each, taken between the alerts (ms):`);
  table(['round trip', 'p50', 'p95', 'max'], [
    row('prom'),
    row('evict'),
    ['= the unavoidable round trips: sum of the two p50s (the baseline)', ms(direct), '', ''],
    row('promProxied'),
    row('evictProxied'),
    ['= the same sum through the proxies', ms(proxied), '', ''],
    ...TRIPS.filter((t) => t.startsWith('pods')).map(row),
  ]);
  return { direct, proxied };
}

/**
 * Prints the decision times and the overhead; returns the warm p50 from receipt (the issue's
 * measure) and from the POST leaving the client (stricter: the client's own cost included).
 */
export function printDecisions(cold: Alert, warm: readonly Alert[], baseline: { direct: number; proxied: number }): { fromReceipt: number; fromPost: number } {
  const d = warm.map((a) => a.decision - a.received);
  const dPost = warm.map((a) => a.decision);
  const d50 = p50(d);
  const post50 = p50(dPost);
  const first = warm.length > 0 ? 2 : 1;
  const warmLabel = `warm: alerts ${first}-${first + warm.length - 1} (${warm.length}, one per node)`;
  console.log(`\n  Webhook -> first eviction request leaving headroom (ms):`);
  table(['alerts', 'from', 'p50', 'p95', 'min', 'max'], [
    [warmLabel, 'receipt', ms(d50), ms(percentile(d, 95)), ms(Math.min(...d)), ms(Math.max(...d))],
    [warmLabel, 'POST sent', ms(post50), ms(percentile(dPost, 95)), ms(Math.min(...dPost)), ms(Math.max(...dPost))],
    ['cold: alert 1, the first after start', 'receipt', ms(cold.decision - cold.received), '', '', ''],
  ]);
  const over = (x: number, base: number) => `${(((x - base) / base) * 100).toFixed(0)}%`;
  const ok = (d50 - baseline.direct) / baseline.direct < 0.5;
  console.log(`  receipt: headroom's HTTP server has the request's headers, p50 ${ms(p50(warm.map((a) => a.received)))} ms after its sender (the helper process, in Alertmanager's place) started the POST`);
  console.log(`\n  overhead = (p50 decision from receipt - round-trip sum) / round-trip sum = (${ms(d50)} - ${ms(baseline.direct)}) / ${ms(baseline.direct)} = ${over(d50, baseline.direct)}   target < 50%: ${ok ? 'MET' : 'NOT MET'}`);
  console.log(`  (from the POST sent: ${over(post50, baseline.direct)}; against the round trips through the proxies: ${over(d50, baseline.proxied)}; p95 decision: ${over(percentile(d, 95), baseline.direct)}; cold alert: ${over(cold.decision - cold.received, baseline.direct)})`);
  return { fromReceipt: d50, fromPost: post50 };
}

/** Milliseconds of [0, decision) during which at least one call other than the eviction was open. */
function waitingOnCalls(a: Alert): number {
  const spans = a.hops
    .filter((h) => h.kind !== 'kube: eviction')
    .map((h) => [h.startMs, Math.min(h.endMs ?? a.decision, a.decision)] as const)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let from = 0;
  let to = 0;
  for (const [s, e] of spans) {
    if (s > to) {
      covered += to - from;
      from = s;
      to = e;
    } else to = Math.max(to, e);
  }
  return covered + (to - from);
}

/** Prints every call made between the POST and the first eviction request, by kind. */
export function printBreakdown(warm: readonly Alert[]): void {
  const kinds = new Map<string, KindedHop[]>();
  for (const a of warm) for (const h of a.hops) kinds.set(h.kind, [...(kinds.get(h.kind) ?? []), h]);
  const rows: string[][] = [
    ['webhook received (headroom has its headers)', '1.00', ms(p50(warm.map((a) => a.received))), '-', '-'],
    ['webhook answered (the POST got its response)', '1.00', '0.00', ms(p50(warm.map((a) => a.answered))), '-'],
    ["'webhook' log line written (the handler is done)", '1.00', ms(p50(warm.map((a) => a.logged))), '-', '-'],
  ];
  const order = [...kinds].sort((x, y) => p50(x[1].map((h) => h.startMs)) - p50(y[1].map((h) => h.startMs)));
  for (const [kind, hs] of order) {
    const ends = hs.flatMap((h) => (h.endMs === null ? [] : [h.endMs]));
    const took = hs.flatMap((h) => (h.endMs === null ? [] : [h.endMs - h.startMs]));
    if (kind === 'kube: eviction') rows.push(['kube: eviction request arrives (= the decision time)', (hs.length / warm.length).toFixed(2), ms(p50(hs.map((h) => h.startMs))), '-', '-']);
    else rows.push([kind, (hs.length / warm.length).toFixed(2), ms(p50(hs.map((h) => h.startMs))), ms(p50(ends)), ms(p50(took))]);
  }
  console.log(`\n  Where the warm decision time goes (p50 over the ${warm.length} warm alerts; ms after the POST left):`);
  table(['step (every call that started before the eviction request)', 'per alert', 'start', 'end', 'took'], rows);
  const waiting = warm.map(waitingOnCalls);
  const own = warm.map((a, i) => a.decision - (waiting[i] ?? 0));
  console.log(`  at least one call open: p50 ${ms(p50(waiting))} ms; no call open (headroom's own work and event loop): p50 ${ms(p50(own))} ms, p95 ${ms(percentile(own, 95))} ms`);
  const folding = (a: Alert) => a.hops.some((h) => h.kind === SUMS);
  const describe = (xs: readonly Alert[]) => (xs.length === 0 ? 'none' : `p50 ${ms(p50(xs.map((a) => a.decision)))} ms over ${xs.length} alerts`);
  console.log(`  decision while a refresh of the request sums (every pod of the cluster) ran alongside: ${describe(warm.filter(folding))}; without: ${describe(warm.filter((a) => !folding(a)))}`);
}

/** Prints the cold alert's calls in order. */
export function printCold(cold: Alert): void {
  console.log(`\n  Cold alert (${cold.node}), ${ms(cold.decision - cold.received)} ms from receipt; its calls (start -> end, ms after the POST):`);
  for (const h of cold.hops) console.log(`    ${h.kind.padEnd(40)} ${ms(h.startMs).padStart(8)} -> ${h.endMs === null ? '-' : ms(h.endMs)}`);
}
