/**
 * The PromQL of the headroom rules, built from the config. The alert expressions and the queries
 * their annotations run are made by the same functions, so a description never quotes a threshold
 * the expression does not use.
 */
import type { Config } from '../config/load.ts';
import { durationSeconds } from './duration.ts';

/** The parts of the config the rules depend on. */
export type RuleSettings = Pick<Config, 'thresholds' | 'rules'>;

/** The recording rule every alert reads: memory in use on a node, 0-1, one series per `node`. */
export const USAGE_RECORD = 'node:headroom_memory_usage:ratio';

/** Points added to the cluster average to get the dynamic warning threshold (S1.3). */
export const DYNAMIC_MARGIN_POINTS = 10;

/** A percentage of the config (0-100) as the 0-1 ratio the recording rule uses. */
export function ratio(percent: number): string {
  return String(percent / 100);
}

/**
 * Usage per node from node-exporter. `instance` carries the node name in kube-prometheus; a
 * `:port` suffix is dropped for setups that keep the scrape address. `max by (node)` leaves
 * `node` as the only label and collapses duplicate scrapes of one node (two jobs, say).
 */
export function usageRecordExpr(): string {
  return [
    'max by (node) (',
    '  label_replace(',
    '    1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes,',
    '    "node", "$1", "instance", "(.+?)(?::[0-9]+)?"',
    '  )',
    ')',
  ].join('\n');
}

/** The dynamic warning threshold, one label-less series: max(floor, min(alert, average + 10)). */
export function warningThresholdExpr(s: RuleSettings): string {
  const t = s.thresholds;
  const raised = `avg(${USAGE_RECORD}) + ${ratio(DYNAMIC_MARGIN_POINTS)}`;
  return `clamp_min(clamp_max(${raised}, ${ratio(t.memory_alert)}), ${ratio(t.alert_floor)})`;
}

/** Nodes above the dynamic threshold; the single threshold series is matched to every node. */
export function warningExpr(s: RuleSettings): string {
  return [`${USAGE_RECORD}`, '  > on () group_left ()', `  ${warningThresholdExpr(s)}`].join('\n');
}

/** Nodes above the eviction threshold. */
export function criticalExpr(s: RuleSettings): string {
  return `${USAGE_RECORD} > ${ratio(s.thresholds.memory_eviction)}`;
}

/** `[window:step]`: the trend fits on the recorded series sampled once per evaluation. */
function trendRange(s: RuleSettings): string {
  return `[${s.rules.trend.window}:${s.rules.evaluation_interval}]`;
}

/** Least-squares slope of `series` over the trend window, in percentage points per minute. */
export function slopeExpr(s: RuleSettings, series: string): string {
  return `deriv(${series}${trendRange(s)}) * 6000`;
}

/**
 * r² of the least-squares fit over the trend window: slope² · var(t) / var(usage). Pairing each
 * sample with its own timestamp (`series * 0 + time()`) makes var(t) cover exactly the samples the
 * fit used. A constant series gives 0/0 = NaN, and NaN compares false, so it never fires.
 */
export function r2Expr(s: RuleSettings, series: string, separator = ' '): string {
  const range = trendRange(s);
  return [
    `deriv(${series}${range}) ^ 2`,
    `* stdvar_over_time((${series} * 0 + time())${range})`,
    `/ stdvar_over_time(${series}${range})`,
  ].join(separator);
}

/** Seconds until the fitted line reaches the eviction threshold (negative once past it). */
export function crossingSecondsExpr(s: RuleSettings, series: string): string {
  const range = trendRange(s);
  return `(${ratio(s.thresholds.memory_eviction)} - predict_linear(${series}${range}, 0)) / deriv(${series}${range})`;
}

/**
 * Samples the fit needs before it is trusted: half the window. Two points are always a perfect
 * line (r² = 1), so a node that just appeared must not look like a trend.
 */
export function minTrendSamples(s: RuleSettings): number {
  const perWindow = durationSeconds(s.rules.trend.window) / durationSeconds(s.rules.evaluation_interval);
  return Math.max(3, Math.floor(perWindow / 2));
}

/**
 * Nodes whose usage rises steadily toward the eviction threshold: slope above `min_rate`, r² above
 * `min_r2`, the fitted line above `memory_eviction` at the horizon, and enough samples. The value
 * is the current usage; the leading `usage and` also ends the alert as soon as the node's series
 * does, instead of when its last samples leave the window.
 */
export function trendExpr(s: RuleSettings): string {
  const trend = s.rules.trend;
  const m = USAGE_RECORD;
  const range = trendRange(s);
  const horizon = durationSeconds(trend.horizon);
  return [
    m,
    '  and on (node) # slope of the least-squares fit, percentage points per minute',
    `    ${slopeExpr(s, m)} > ${trend.min_rate}`,
    '  and on (node) # r² of that fit: the rise is steady, not noise or a sawtooth',
    `    (\n      ${r2Expr(s, m, '\n      ')}\n    ) > ${trend.min_r2}`,
    '  and on (node) # the fitted line is above the eviction threshold at the horizon',
    `    predict_linear(${m}${range}, ${horizon}) > ${ratio(s.thresholds.memory_eviction)}`,
    '  and on (node) # enough samples for the fit to mean something',
    `    count_over_time(${m}${range}) >= ${minTrendSamples(s)}`,
  ].join('\n');
}
