/**
 * Placement (S2.2): which other nodes could take a pod, and booking a chosen pod onto the roomiest
 * of them so later pods see it fuller. Kept fast for 5,000 nodes: a pod walks the nodes roomiest
 * first (`roomOrder`, sorted only as far as pods read) and stops as soon as it has its
 * `listedTargets`, or as soon as a node lacks room for its request (every node after it has
 * less). Label and taint checks run only on the nodes a pod visits, memoised per distinct set of
 * pod constraints. When the whole cluster is hot, an upper bound on any node's usage headroom
 * answers "nowhere" without walking at all.
 */
import type { NodeFacts, PodFacts, Taint } from '../facts/types.ts';
import { matchesNodeSelector, matchesRequiredAffinity, toleratesHardTaints } from './match.ts';
import type { Policy } from './policy.ts';
import { roomOrder } from './room-order.ts';

/** Where a pod could go now: fitting nodes, roomiest first, and the index to book it on. */
export type Placement = { targets: string[]; best: number };

/** Placement state for one plan: `place` reads it, `book` changes it. */
export type Placer = { place(pod: PodFacts): Placement; book(pod: PodFacts, node: number): void };

const NO_TAINTS: readonly Taint[] = [];
const UNKNOWN = 0;
const ADMITS = 1;
const REFUSES = 2;

/**
 * A node is a target when it is Ready, not cordoned, not excluded, not the pod's own node, has a
 * known capacity, admits the pod (hard taints tolerated, `nodeSelector` and required affinity
 * matched), has the pod's request free in its allocatable, and stays at or under
 * `targetNodeMaxUsage` percent of capacity with the pod's usage added. Roomiest = most allocatable
 * left after booking; ties by name.
 */
export function placer(nodes: readonly NodeFacts[], ownNode: string, policy: Policy): Placer {
  const excluded = new Set(policy.excludedNodes);
  const live: NodeFacts[] = [];
  for (const n of nodes) {
    if (n.name !== ownNode && n.ready && !n.unschedulable && n.capacityBytes > 0 && !excluded.has(n.name)) live.push(n);
  }
  const count = live.length;
  const names: string[] = new Array<string>(count);
  const free = new Float64Array(count);
  const used = new Float64Array(count);
  const capacity = new Float64Array(count);
  const hardTaints: Array<readonly Taint[]> = new Array<readonly Taint[]>(count);
  const maxUsage = policy.targetNodeMaxUsage;
  /** No node has more usage headroom than this (bookings only lower headroom). */
  let headroomBound = -Infinity;
  for (let i = 0; i < count; i++) {
    const n = live[i] as NodeFacts;
    names[i] = n.name;
    free[i] = n.allocatableBytes - n.requestedBytes;
    used[i] = n.usedBytes;
    capacity[i] = n.capacityBytes;
    hardTaints[i] = n.taints.length === 0 ? NO_TAINTS : n.taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    headroomBound = Math.max(headroomBound, (n.capacityBytes * maxUsage) / 100 - n.usedBytes);
  }
  // Loose by far more than float rounding, so it never turns away a pod the exact test accepts.
  headroomBound += Math.abs(headroomBound) * 1e-9 + 1;
  /** i is roomier than j: more free allocatable, then the smaller name. */
  const roomier = (i: number, j: number): boolean => {
    const fi = free[i] as number;
    const fj = free[j] as number;
    return fi > fj || (fi === fj && (names[i] as string) < (names[j] as string));
  };
  const order = roomOrder(count, roomier);
  const limit = Math.max(policy.listedTargets, policy.minTargetNodes);
  const verdicts = new Map<string, Uint8Array>();

  /** Per node, whether pods with these constraints may go there (filled as nodes are visited). */
  const verdictsFor = (pod: PodFacts): Uint8Array => {
    const unconstrained = pod.tolerations.length === 0 && pod.requiredNodeAffinity === null && Object.keys(pod.nodeSelector).length === 0;
    const key = unconstrained ? '' : JSON.stringify([pod.tolerations, pod.nodeSelector, pod.requiredNodeAffinity]);
    let v = verdicts.get(key);
    if (v === undefined) verdicts.set(key, (v = new Uint8Array(count)));
    return v;
  };
  const admits = (pod: PodFacts, i: number): boolean => {
    const n = live[i] as NodeFacts;
    const taints = hardTaints[i] as readonly Taint[];
    return (
      (taints.length === 0 || toleratesHardTaints(pod.tolerations, taints)) &&
      matchesNodeSelector(pod.nodeSelector, n.labels) &&
      matchesRequiredAffinity(pod.requiredNodeAffinity, n.name, n.labels)
    );
  };

  return {
    place(pod) {
      const verdict = verdictsFor(pod);
      const request = pod.requestBytes;
      const usage = pod.usageBytes;
      const best: number[] = [];
      if (usage > headroomBound) return { targets: [], best: -1 };
      for (let k = 0, i = order.at(0); i >= 0 && best.length < limit; i = order.at(++k)) {
        if (request > (free[i] as number)) break;
        if (!((((used[i] as number) + usage) / (capacity[i] as number)) * 100 <= maxUsage)) continue;
        if (verdict[i] === UNKNOWN) verdict[i] = admits(pod, i) ? ADMITS : REFUSES;
        if (verdict[i] === ADMITS) best.push(i);
      }
      return { targets: best.map((i) => names[i] as string), best: best[0] ?? -1 };
    },
    book(pod, node) {
      free[node] = (free[node] as number) - pod.requestBytes;
      used[node] = (used[node] as number) + pod.usageBytes;
      order.reposition(node);
    },
  };
}
