/**
 * `plan(facts, policy, now)`: the one decider behind the webhook path, `/simulate`, `headroom
 * once` and the tests. Pure: no I/O, no clock, no randomness, and insensitive to the order of its
 * inputs, so the same facts always give the same plan (contract, "The decision").
 */
import type { Facts, PodFacts } from '../facts/types.ts';
import { placer } from './place.ts';
import type { Policy } from './policy.ts';
import { orderReasons, protector } from './protect.ts';
import { scorePod } from './score.ts';
import { type ScoredPod, compareNames, percent, planOrder, select } from './select.ts';
import type { Plan, ProtectedPod, ReasonCode } from './types.ts';

/** Step 1 of the decision: bound to the node, Running or Pending, not terminating. */
export function isOnNode(pod: PodFacts, node: string): boolean {
  return pod.nodeName === node && (pod.phase === 'Running' || pod.phase === 'Pending') && !pod.terminating;
}

/**
 * Decides which pods of `facts.node` to evict. Protected pods carry every reason: their own, plus
 * `workload-cooldown` when a sibling was chosen in this round and `no-room` against the nodes as
 * booked at the end of the round. A node already at or under the target gets no evictions and
 * `reachedTarget: true`; its candidates are still listed.
 */
export function plan(facts: Facts, policy: Policy, now: Date): Plan {
  const node = facts.node;
  const protect = protector(facts, policy, now);
  const scored: ScoredPod[] = [];
  const held: Array<{ pod: PodFacts; reasons: ReasonCode[] }> = [];
  for (const pod of facts.pods) {
    if (!isOnNode(pod, node.name)) continue;
    const reasons = protect(pod);
    if (reasons.length > 0) held.push({ pod, reasons });
    else scored.push({ pod, ...scorePod(pod, node.capacityBytes, policy.weights, now) });
  }
  scored.sort(planOrder);
  const place = placer(facts.otherNodes, node.name, policy);
  const selection = select(scored, place, node.usedBytes, node.capacityBytes, policy);

  const protectedPods: ProtectedPod[] = [...selection.protected];
  for (const { pod, reasons } of held) {
    const all = [...reasons];
    if (pod.workload !== null && selection.chosenWorkloads.has(pod.workload)) all.push('workload-cooldown');
    if (place.place(pod).targets.length < policy.minTargetNodes) all.push('no-room');
    protectedPods.push({ namespace: pod.namespace, name: pod.name, reasons: orderReasons(all) });
  }
  protectedPods.sort(compareNames);

  const projected = percent(Math.max(0, node.usedBytes - selection.freedBytes), node.capacityBytes);
  return {
    node: node.name,
    memory: {
      totalBytes: node.capacityBytes,
      usedBytes: node.usedBytes,
      usage: percent(node.usedBytes, node.capacityBytes),
      target: policy.targetUsage,
      projectedUsage: projected,
    },
    evictions: selection.evictions,
    candidates: selection.candidates,
    protected: protectedPods,
    reachedTarget: projected <= policy.targetUsage,
  };
}
