/**
 * Selection: walk the eligible pods in plan order, give each the targets it has now, and choose
 * until the node is projected at or under the target or the round is full. Two protections arise
 * here because they depend on earlier choices: `workload-cooldown` (a pod of the same workload is
 * already chosen: one per workload per round) and `no-room` (fewer than `minTargetNodes` nodes
 * can take it once earlier choices are booked).
 */
import type { PodFacts } from '../facts/types.ts';
import type { Placer } from './place.ts';
import type { Policy } from './policy.ts';
import type { PlannedPod, ProtectedPod, ReasonCode, Scores } from './types.ts';

/** An eligible pod with its scores. */
export type ScoredPod = Readonly<{ pod: PodFacts; score: number; scores: Scores }>;

/** What selection decided; `evictions` is a prefix of `candidates`. */
export type Selection = {
  evictions: PlannedPod[];
  candidates: PlannedPod[];
  protected: ProtectedPod[];
  chosenWorkloads: ReadonlySet<string>;
  freedBytes: number;
};

/** Code-unit order of `namespace/name` (locale-free, so every machine agrees). */
export function compareNames(a: Readonly<{ namespace: string; name: string }>, b: Readonly<{ namespace: string; name: string }>): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Plan order: score desc, then more memory in use first, then `namespace/name`. */
export function planOrder(a: ScoredPod, b: ScoredPod): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.pod.usageBytes !== b.pod.usageBytes) return b.pod.usageBytes - a.pod.usageBytes;
  return compareNames(a.pod, b.pod);
}

/** Percent of capacity; 0 when the capacity is unknown (nothing is then over any threshold). */
export function percent(bytes: number, capacityBytes: number): number {
  return capacityBytes > 0 ? (bytes / capacityBytes) * 100 : 0;
}

/** Chooses from `ordered` (already in plan order) for a node using `usedBytes` of `capacityBytes`. */
export function select(ordered: readonly ScoredPod[], place: Placer, usedBytes: number, capacityBytes: number, policy: Policy): Selection {
  const evictions: PlannedPod[] = [];
  const candidates: PlannedPod[] = [];
  const protectedPods: ProtectedPod[] = [];
  const chosenWorkloads = new Set<string>();
  let freedBytes = 0;
  let done = percent(usedBytes, capacityBytes) <= policy.targetUsage;
  for (const { pod, score, scores } of ordered) {
    const reasons: ReasonCode[] = [];
    if (pod.workload !== null && chosenWorkloads.has(pod.workload)) reasons.push('workload-cooldown');
    const placement = place.place(pod);
    if (placement.targets.length < policy.minTargetNodes) reasons.push('no-room');
    if (reasons.length > 0) {
      protectedPods.push({ namespace: pod.namespace, name: pod.name, reasons });
      continue;
    }
    const planned: PlannedPod = {
      namespace: pod.namespace,
      name: pod.name,
      score,
      scores,
      memoryBytes: pod.usageBytes,
      requestBytes: pod.requestBytes,
      targets: placement.targets,
    };
    candidates.push(planned);
    if (done) continue;
    evictions.push(planned);
    place.book(pod, placement.best);
    if (pod.workload !== null) chosenWorkloads.add(pod.workload);
    freedBytes += pod.usageBytes;
    done = percent(Math.max(0, usedBytes - freedBytes), capacityBytes) <= policy.targetUsage || evictions.length >= policy.maxPodsPerRound;
  }
  return { evictions, candidates, protected: protectedPods, chosenWorkloads, freedBytes };
}
