/**
 * Placement (S2.2): which other nodes could take a pod, and booking a chosen pod onto the roomiest
 * of them so later pods see it fuller. Kept fast for 5,000 nodes: node figures live in typed
 * arrays, the static eligibility (readiness, cordon, exclusion, taints, nodeSelector, affinity)
 * is computed once per distinct set of pod constraints, and each pod keeps only its best
 * `listedTargets` nodes (a bounded insertion, no sort of all nodes).
 */
import type { NodeFacts, PodFacts, Taint } from '../facts/types.ts';
import { matchesNodeSelector, matchesRequiredAffinity, toleratesHardTaints } from './match.ts';
import type { Policy } from './policy.ts';

/** Where a pod could go now: fitting nodes, roomiest first, and the index to book it on. */
export type Placement = { targets: string[]; best: number };

/** Placement state for one plan: `place` reads it, `book` changes it. */
export type Placer = { place(pod: PodFacts): Placement; book(pod: PodFacts, node: number): void };

/**
 * A node is a target when it is Ready, not cordoned, not excluded, not the pod's own node, has a
 * known capacity, tolerates-wise and label-wise admits the pod, has the pod's request free in its
 * allocatable, and stays at or under `targetNodeMaxUsage` percent of capacity with the pod's usage
 * added. Roomiest = most allocatable left after booking; ties by name.
 */
export function placer(nodes: readonly NodeFacts[], ownNode: string, policy: Policy): Placer {
  const excluded = new Set(policy.excludedNodes);
  const live = nodes.filter((n) => n.name !== ownNode && n.ready && !n.unschedulable && !excluded.has(n.name) && n.capacityBytes > 0);
  const count = live.length;
  const names = live.map((n) => n.name);
  const free = Float64Array.from(live, (n) => n.allocatableBytes - n.requestedBytes);
  const used = Float64Array.from(live, (n) => n.usedBytes);
  const capacity = Float64Array.from(live, (n) => n.capacityBytes);
  const hardTaints = live.map((n) => n.taints.filter((t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'));
  const limit = Math.max(policy.listedTargets, policy.minTargetNodes);
  const maxUsage = policy.targetNodeMaxUsage;
  const masks = new Map<string, Uint8Array>();

  const admits = (pod: PodFacts): Uint8Array => {
    const unconstrained = pod.tolerations.length === 0 && pod.requiredNodeAffinity === null && Object.keys(pod.nodeSelector).length === 0;
    const key = unconstrained ? '' : JSON.stringify([pod.tolerations, pod.nodeSelector, pod.requiredNodeAffinity]);
    let mask = masks.get(key);
    if (mask === undefined) {
      mask = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const n = live[i] as NodeFacts;
        const taints = hardTaints[i] as readonly Taint[];
        const ok =
          (taints.length === 0 || toleratesHardTaints(pod.tolerations, taints)) &&
          matchesNodeSelector(pod.nodeSelector, n.labels) &&
          matchesRequiredAffinity(pod.requiredNodeAffinity, n.name, n.labels);
        mask[i] = ok ? 1 : 0;
      }
      masks.set(key, mask);
    }
    return mask;
  };

  /** i is roomier than j: more free allocatable, then the smaller name. */
  const roomier = (i: number, j: number): boolean => {
    const fi = free[i] as number;
    const fj = free[j] as number;
    return fi > fj || (fi === fj && (names[i] as string) < (names[j] as string));
  };

  return {
    place(pod) {
      const mask = admits(pod);
      const request = pod.requestBytes;
      const usage = pod.usageBytes;
      const best: number[] = [];
      for (let i = 0; i < count; i++) {
        if (mask[i] === 0 || request > (free[i] as number)) continue;
        if (!((((used[i] as number) + usage) / (capacity[i] as number)) * 100 <= maxUsage)) continue;
        if (best.length === limit && !roomier(i, best[limit - 1] as number)) continue;
        let at = best.length === limit ? limit - 1 : best.length;
        while (at > 0 && roomier(i, best[at - 1] as number)) {
          best[at] = best[at - 1] as number;
          at--;
        }
        best[at] = i;
      }
      return { targets: best.map((i) => names[i] as string), best: best[0] ?? -1 };
    },
    book(pod, node) {
      free[node] = (free[node] as number) - pod.requestBytes;
      used[node] = (used[node] as number) + pod.usageBytes;
    },
  };
}
