/**
 * Workload identity. One key names the thing a user scales (a Deployment, not its ReplicaSet of
 * the day), so "one pod per workload per round" and the workload cooldown hold across rollouts,
 * and the live path and snapshots agree on the keys they store.
 */
import type { OwnerRef } from './types.ts';

/** `namespace/Kind/name`, e.g. `shop/Deployment/web`. */
export function workloadKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

/** What a ReplicaSet tells about its pods' workload: its own controller and its replicas. */
export type ReplicaSetInfo = Readonly<{ owner: OwnerRef | null; replicas: number }>;

/**
 * The top-level workload and replica count of a pod's controller. A ReplicaSet owned by a
 * Deployment resolves to the Deployment; replicas come from the ReplicaSet or StatefulSet spec.
 * Unknown owners (not in the List, or other kinds) keep their own key and unknown replicas.
 */
export function resolveWorkload(
  namespace: string,
  owner: OwnerRef,
  replicaSets: ReadonlyMap<string, ReplicaSetInfo>,
  statefulSets: ReadonlyMap<string, number>,
): { workload: string; replicas: number | null } {
  const ownKey = workloadKey(namespace, owner.kind, owner.name);
  if (owner.kind === 'ReplicaSet') {
    const rs = replicaSets.get(ownKey);
    if (rs === undefined) return { workload: ownKey, replicas: null };
    const top = rs.owner !== null && rs.owner.kind === 'Deployment' ? workloadKey(namespace, 'Deployment', rs.owner.name) : ownKey;
    return { workload: top, replicas: rs.replicas };
  }
  if (owner.kind === 'StatefulSet') return { workload: ownKey, replicas: statefulSets.get(ownKey) ?? null };
  return { workload: ownKey, replicas: null };
}
