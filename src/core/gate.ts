/**
 * How full a node must be before an evaluation acts. A level alert (`NodeMemoryPressureCritical`)
 * acts at `memory_eviction`. The trend alert predicts that level within its horizon, so when it
 * asks for eviction (`rules.trend.evict`) it acts earlier, from `memory_alert`: that is the point
 * of trending. Pure, so the live evaluator and the demo gate the same way.
 */

/** The trend alert's name, fixed by the contract. */
export const TREND_ALERT_NAME = 'NodeMemoryGrowthTrend';

/** The usage percent at or above which an evaluation asked for by `alertnames` acts. */
export function evictionGate(alertnames: readonly string[], levelThreshold: number, memoryAlert: number): number {
  return alertnames.includes(TREND_ALERT_NAME) ? Math.min(levelThreshold, memoryAlert) : levelThreshold;
}
