/**
 * The planner's public face: everything the routes, the runner and the demo import from `plan/`.
 */
export { plan, isOnNode } from './plan.ts';
export { policyFromConfig, LISTED_TARGETS, type Policy } from './policy.ts';
export { roundPlanForOutput } from './output.ts';
export { REASON_CODES, type Plan, type PlannedPod, type PlanMemory, type ProtectedPod, type ReasonCode, type Scores } from './types.ts';
