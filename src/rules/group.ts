/**
 * The headroom rule group as plain data: one recording rule and the three alerts, with the
 * thresholds, durations and runbook link of a config.
 */
import { criticalAnnotations, trendAnnotations, warningAnnotations, type Annotations } from './annotations.ts';
import { USAGE_RECORD, criticalExpr, trendExpr, usageRecordExpr, warningExpr, type RuleSettings } from './expressions.ts';

/** The rule group name; one group so the alerts always see the recording rule's current value. */
export const RULE_GROUP_NAME = 'headroom';

/** The alert names of the contract, in the order the group lists them. */
export const ALERT_NAMES = ['NodeMemoryPressureWarning', 'NodeMemoryPressureCritical', 'NodeMemoryGrowthTrend'] as const;

/** A recording rule as a Prometheus rule file spells it. */
export type RecordingRule = { record: string; expr: string };

/** An alerting rule as a Prometheus rule file spells it. */
export type AlertingRule = {
  alert: (typeof ALERT_NAMES)[number];
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Annotations;
};

/** A rule group as a Prometheus rule file (and a PrometheusRule's `spec.groups`) spells it. */
export type RuleGroup = { name: string; interval: string; rules: Array<RecordingRule | AlertingRule> };

/** The one headroom rule group for these settings. */
export function headroomRuleGroup(s: RuleSettings): RuleGroup {
  const trendLabels: Record<string, string> = { severity: 'warning' };
  if (s.rules.trend.evict) trendLabels.headroom_action = 'evict';
  return {
    name: RULE_GROUP_NAME,
    interval: s.rules.evaluation_interval,
    rules: [
      { record: USAGE_RECORD, expr: usageRecordExpr() },
      {
        alert: 'NodeMemoryPressureWarning',
        expr: warningExpr(s),
        for: s.rules.warning_for,
        labels: { severity: 'warning' },
        annotations: warningAnnotations(s),
      },
      {
        alert: 'NodeMemoryPressureCritical',
        expr: criticalExpr(s),
        for: s.rules.critical_for,
        labels: { severity: 'critical', headroom_action: 'evict' },
        annotations: criticalAnnotations(s),
      },
      {
        alert: 'NodeMemoryGrowthTrend',
        expr: trendExpr(s),
        for: s.rules.trend.for,
        labels: trendLabels,
        annotations: trendAnnotations(s),
      },
    ],
  };
}
