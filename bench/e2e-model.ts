/**
 * Time-to-relief with the shipped defaults, as an expected value: the sum of each component's
 * expected delay. Interval-driven components are modelled, the rest (network hops, headroom, the
 * API call) are taken from the measured run, where they do not depend on the intervals.
 *
 * - scrape: the crossing falls at a uniformly random point of the scrape interval: expected
 *   interval / 2, floor 0, worst one interval;
 * - rule evaluation: the group runs every `evaluation_interval`, out of phase with the scrapes:
 *   expected half of it, floor 0, worst one interval;
 * - `for:`: the alert fires at the first evaluation at least `for` after it became pending; with
 *   `for` a multiple of the evaluation interval (30s / 15s) that is exactly `for`;
 * - group_wait: a new group (one per alert and node) is flushed exactly `group_wait` after its
 *   first alert arrives.
 */

/** The intervals that drive the model, in seconds. */
export type Intervals = { scrape: number; evaluation: number; criticalFor: number; groupWait: number };

/** Expected, floor and worst case of one component, in seconds. */
export type Estimate = { name: string; expected: number; floor: number; worst: number; note: string };

/** The fixed-point seconds a `for:` really takes: rounded up to whole evaluations. */
function forDelay(i: Intervals): number {
  return Math.ceil(i.criticalFor / i.evaluation) * i.evaluation;
}

/**
 * Estimates for the critical path with intervals `i`; `measured` holds the seconds of the
 * components the intervals do not drive (Prometheus -> Alertmanager, the POST, headroom, API).
 */
export function criticalPath(i: Intervals, measured: { send: number; post: number; headroom: number; api: number }): Estimate[] {
  const fixed = (name: string, v: number, note: string): Estimate => ({ name, expected: v, floor: v, worst: v, note });
  return [
    { name: 'scrape', expected: i.scrape / 2, floor: 0, worst: i.scrape, note: `scrape_interval ${i.scrape}s` },
    { name: 'rule evaluation', expected: i.evaluation / 2, floor: 0, worst: i.evaluation, note: `evaluation_interval ${i.evaluation}s` },
    fixed('for:', forDelay(i), `critical_for ${i.criticalFor}s`),
    fixed('Prometheus -> Alertmanager', measured.send, 'measured'),
    fixed('Alertmanager grouping (group_wait)', i.groupWait, `group_wait ${i.groupWait}s`),
    fixed('Alertmanager -> headroom (POST)', measured.post, 'measured'),
    fixed('headroom decision', measured.headroom, 'measured'),
    fixed('API call (eviction)', measured.api, 'measured'),
  ];
}

/** Sums of the estimates. */
export function totals(e: readonly Estimate[]): { expected: number; floor: number; worst: number } {
  return e.reduce((a, x) => ({ expected: a.expected + x.expected, floor: a.floor + x.floor, worst: a.worst + x.worst }), { expected: 0, floor: 0, worst: 0 });
}

/**
 * How long before the crossing the shipped trend alert reaches headroom, in minutes, for a node
 * rising steadily (above `min_rate`) for longer than the trend window: the alert becomes pending
 * when the fitted line reaches `memory_eviction` within `horizon`, that is `horizon` before the
 * crossing, fires `for` later, and arrives after the same scrape, evaluation and group_wait delays
 * as the critical alert. The usage it fires at is `memory_eviction - rate * (horizon - for)`.
 */
export function trendLeadMinutes(o: { horizonMinutes: number; forMinutes: number; delaysSeconds: number }): number {
  return o.horizonMinutes - o.forMinutes - o.delaysSeconds / 60;
}
