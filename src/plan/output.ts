/**
 * Rounding for people: scores and percentages to one decimal, as the contract prints them. The
 * planner decides on full precision; only the JSON answer is rounded, so rounding can never
 * change a decision.
 */
import type { Plan, PlannedPod } from './types.ts';

/** Rounds half away from zero to one decimal (72.25 -> 72.3). */
export function round1(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x) * 10 + Number.EPSILON * 10) / 10;
  return r === 0 ? 0 : r;
}

/** A copy of `plan` with every score and percentage rounded to one decimal; bytes untouched. */
export function roundPlanForOutput(plan: Plan): Plan {
  const pod = (p: PlannedPod): PlannedPod => ({
    ...p,
    score: round1(p.score),
    scores: { qos: round1(p.scores.qos), memory: round1(p.scores.memory), age: round1(p.scores.age), replicas: round1(p.scores.replicas) },
    targets: [...p.targets],
  });
  return {
    node: plan.node,
    memory: {
      ...plan.memory,
      usage: round1(plan.memory.usage),
      target: round1(plan.memory.target),
      projectedUsage: round1(plan.memory.projectedUsage),
    },
    evictions: plan.evictions.map(pod),
    candidates: plan.candidates.map(pod),
    protected: plan.protected.map((p) => ({ ...p, reasons: [...p.reasons] })),
    reachedTarget: plan.reachedTarget,
  };
}
