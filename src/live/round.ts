/**
 * The acting half of a live evaluation, given the claim on the node and its slots in the stored
 * limits (taken while the facts were read): plan again if the claim revealed workload cooldowns
 * the facts did not know (another replica evicted meanwhile), execute, settle the claim, and drop
 * the caches acting changed.
 */
import type { Logger } from 'pino';
import { executePlan, type UsageCheck } from '../act/execute.ts';
import type { EventWriter } from '../act/events.ts';
import type { ClaimResult, LimitsStore } from '../act/limits-store.ts';
import { type RoundReport, succeeded } from '../act/outcome.ts';
import type { FactsGatherer } from '../facts/gather.ts';
import type { Facts } from '../facts/types.ts';
import type { Metrics } from '../http/metrics.ts';
import type { KubeApi } from '../kube/types.ts';
import { type Plan, type Policy, plan as decide } from '../plan/index.ts';

/** Everything a round needs from its evaluation. */
export type RoundInput = Readonly<{
  node: string;
  facts: Facts;
  plan: Plan;
  /** The claim this round acts under (`LimitsStore.claim` for `maxPodsPerRound` slots). */
  claimed: ClaimResult;
  policy: Policy;
  now: Date;
  mode: 'dry-run' | 'enforce';
  threshold: number;
  api: KubeApi;
  limits: LimitsStore;
  gatherer: FactsGatherer;
  events: EventWriter;
  checkUsage: () => Promise<UsageCheck>;
  logger: Logger;
  metrics: Metrics;
  clock: () => Date;
  signal?: AbortSignal;
}>;

/** A round that ran (with the plan it executed), or the claim's refusal. */
export type RoundResult =
  | { ran: true; plan: Plan; round: RoundReport }
  | { ran: false; refused: 'cooldown'; seconds: number }
  | { ran: false; refused: 'budget'; used: number }
  | { ran: false; refused: 'unavailable'; message: string };

/** Runs the round; see the module comment. */
export async function runRound(i: RoundInput): Promise<RoundResult> {
  const want = i.policy.maxPodsPerRound;
  const before = i.facts.recentWorkloadEvictions;
  const claimed = i.claimed;
  if (!claimed.ok) {
    if (claimed.refused === 'cooldown') return { ran: false, refused: 'cooldown', seconds: claimed.seconds };
    if (claimed.refused === 'budget') return { ran: false, refused: 'budget', used: claimed.used };
    return { ran: false, refused: 'unavailable', message: claimed.failure.message };
  }
  const after = i.limits.recentWorkloadEvictions(i.now);
  const changed = Object.keys(after).some((k) => before[k] !== after[k]);
  const p = changed ? decide({ ...i.facts, recentWorkloadEvictions: after }, i.policy, i.now) : i.plan;
  const round = await executePlan(p, {
    mode: i.mode,
    api: i.api,
    events: i.events,
    slots: claimed.claim.slots,
    budgetLimited: claimed.claim.slots < want,
    workloads: new Map(i.facts.pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod.workload] as const)),
    threshold: i.threshold,
    checkUsage: i.checkUsage,
    logger: i.logger,
    metrics: i.metrics,
    signal: i.signal,
  });
  const evicted = succeeded(round).map((o) => ({ pod: `${o.namespace}/${o.name}`, workload: o.workload }));
  const settled = await i.limits.settle(claimed.claim, evicted, i.clock(), i.signal);
  if (!settled.ok) i.logger.error({ event: 'limits-not-recorded', node: i.node, err: settled.failure.message }, 'acted, but the limits could not be recorded; the claim keeps its slots for an hour');
  i.gatherer.invalidate(i.node);
  return { ran: true, plan: p, round };
}
