/**
 * Annotation text for the headroom alerts: Go templates Prometheus expands at each evaluation.
 * Values that are not the alert's own `$value` come from `query`, built by the same functions as
 * the alert expressions.
 */
import {
  DYNAMIC_MARGIN_POINTS,
  USAGE_RECORD,
  crossingSecondsExpr,
  r2Expr,
  slopeExpr,
  warningThresholdExpr,
  type RuleSettings,
} from './expressions.ts';

/** The annotations every headroom alert carries. */
export type Annotations = { summary: string; description: string; runbook_url: string };

/** The usage series of the alert's own node, as a `printf` format taking `$labels.node`. */
const NODE_SERIES = `${USAGE_RECORD}{node=%[1]q}`;

/** The first value of an instant query, piped through `format` (a template function). */
function queryValue(promql: string, format: string): string {
  return `{{ with query "${promql}" }}{{ . | first | value | ${format} }}{{ end }}`;
}

/** Like `queryValue`, for a query about the alert's node (`%[1]q` is its quoted name). */
function nodeQueryValue(promqlFormat: string, format: string): string {
  return `{{ with printf "${promqlFormat}" $labels.node | query }}{{ . | first | value | ${format} }}{{ end }}`;
}

/** A config percentage as text: 93 -> "93%". */
function pct(percent: number): string {
  return `${percent}%`;
}

/** The runbook link for one alert: the configured URL with the alert's README anchor as fragment. */
export function runbookUrl(s: RuleSettings, alertname: string): string {
  const url = new URL(s.rules.runbook_url);
  url.hash = alertname.toLowerCase();
  return url.toString();
}

/** `NodeMemoryPressureWarning`: the usage, the dynamic threshold now, and how it was chosen. */
export function warningAnnotations(s: RuleSettings): Annotations {
  const t = s.thresholds;
  const threshold = queryValue(warningThresholdExpr(s), 'humanizePercentage');
  const average = queryValue(`avg(${USAGE_RECORD})`, 'humanizePercentage');
  return {
    summary: 'Memory usage on node {{ $labels.node }} is above the warning threshold.',
    description:
      `Memory usage on node {{ $labels.node }} is {{ $value | humanizePercentage }}, above the warning threshold of ${threshold}: ` +
      `the cluster average (${average}) plus ${DYNAMIC_MARGIN_POINTS} points, capped at ${pct(t.memory_alert)} and never below ${pct(t.alert_floor)}.`,
    runbook_url: runbookUrl(s, 'NodeMemoryPressureWarning'),
  };
}

/** `NodeMemoryPressureCritical`: the usage against the eviction threshold. */
export function criticalAnnotations(s: RuleSettings): Annotations {
  return {
    summary: 'Memory usage on node {{ $labels.node }} is above the eviction threshold; headroom is asked to evict pods.',
    description:
      `Memory usage on node {{ $labels.node }} is {{ $value | humanizePercentage }}, above the eviction threshold of ${pct(s.thresholds.memory_eviction)}.`,
    runbook_url: runbookUrl(s, 'NodeMemoryPressureCritical'),
  };
}

/** `NodeMemoryGrowthTrend`: usage, slope, r² and when the fitted line crosses the eviction threshold. */
export function trendAnnotations(s: RuleSettings): Annotations {
  const trend = s.rules.trend;
  const slope = nodeQueryValue(slopeExpr(s, NODE_SERIES), 'printf "%.2f"');
  const r2 = nodeQueryValue(r2Expr(s, NODE_SERIES), 'printf "%.2f"');
  const eta = nodeQueryValue(crossingSecondsExpr(s, NODE_SERIES), 'humanizeDuration');
  const action = trend.evict ? '; headroom is asked to evict pods' : '';
  return {
    summary: `Memory usage on node {{ $labels.node }} is rising toward the eviction threshold${action}.`,
    description:
      `Memory usage on node {{ $labels.node }} is {{ $value | humanizePercentage }} and rising ${slope} points per minute over the last ${trend.window} (r² ${r2}); ` +
      `at that rate it reaches the eviction threshold of ${pct(s.thresholds.memory_eviction)} in ${eta}. ` +
      `Fires when the slope is above ${trend.min_rate} points per minute, r² above ${trend.min_r2} and the crossing is within ${trend.horizon}.`,
    runbook_url: runbookUrl(s, 'NodeMemoryGrowthTrend'),
  };
}
