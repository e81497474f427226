/**
 * Readers for the objects that tell the planner about pods without being pods:
 * PodDisruptionBudgets, ReplicaSets and StatefulSets. One copy serves the snapshot (`fromList`)
 * and the live cluster (`gather`), so a live plan and a snapshot plan of the same cluster agree.
 * A malformed object throws `ShapeError` naming its path.
 */
import { controllerOf } from './pod.ts';
import { type Obj, optInt, optObj, optStr, str } from './read.ts';
import { parseLabelSelector } from './selectors.ts';
import type { PdbFacts } from './types.ts';
import { type ReplicaSetInfo, workloadKey } from './workload.ts';

function meta(item: Obj, path: string): { namespace: string; name: string; metadata: Obj } {
  const metadata = optObj(item['metadata'], `${path}.metadata`);
  return { namespace: optStr(metadata['namespace'], `${path}.metadata.namespace`) || 'default', name: str(metadata['name'], `${path}.metadata.name`), metadata };
}

/** `spec.replicas`, defaulting to 1 as the API server does. */
function replicasOf(item: Obj, path: string): number {
  return optInt(optObj(item['spec'], `${path}.spec`)['replicas'], `${path}.spec.replicas`) ?? 1;
}

/**
 * A PodDisruptionBudget. In policy/v1 an empty selector selects every pod of its namespace; in
 * policy/v1beta1 (a snapshot of an old cluster) it selects none. Items of a live list carry no
 * apiVersion and are policy/v1. A missing `status.disruptionsAllowed` counts as 0.
 */
export function readPdb(item: Obj, path: string): PdbFacts {
  const { namespace, name } = meta(item, path);
  const spec = optObj(item['spec'], `${path}.spec`);
  const status = optObj(item['status'], `${path}.status`);
  const v1beta1 = item['apiVersion'] === 'policy/v1beta1';
  return {
    namespace,
    name,
    selector: parseLabelSelector(spec['selector'], `${path}.spec.selector`, !v1beta1),
    disruptionsAllowed: optInt(status['disruptionsAllowed'], `${path}.status.disruptionsAllowed`) ?? 0,
  };
}

/** A ReplicaSet's workload key and what it tells about its pods (its owner, its replicas). */
export function readReplicaSet(item: Obj, path: string): [string, ReplicaSetInfo] {
  const { namespace, name, metadata } = meta(item, path);
  return [workloadKey(namespace, 'ReplicaSet', name), { owner: controllerOf(metadata, `${path}.metadata`), replicas: replicasOf(item, path) }];
}

/** A StatefulSet's workload key and replica count. */
export function readStatefulSet(item: Obj, path: string): [string, number] {
  const { namespace, name } = meta(item, path);
  return [workloadKey(namespace, 'StatefulSet', name), replicasOf(item, path)];
}
