/**
 * Reading Pods out of a List. Two depths: `podBasics` for every pod of the cluster (what other
 * nodes' room needs, kept cheap for 20,000 pods), and `podFacts` for the pods of the target node
 * (everything protection, scoring and placement need).
 */
import { type Obj, fail, optBool, optInt, optObj, optStr, optTime, str, strMap } from './read.ts';
import { computeQosClass, effectiveMemoryRequest } from './resources.ts';
import { parseRequiredNodeAffinity, parseTolerations } from './selectors.ts';
import type { OwnerRef, PodFacts, QosClass } from './types.ts';
import { type ReplicaSetInfo, resolveWorkload } from './workload.ts';

/** What every pod contributes to its node's totals. */
export type PodBasics = Readonly<{
  namespace: string;
  name: string;
  nodeName: string | null;
  phase: string;
  terminating: boolean;
  /** Succeeded or Failed: holds no requests, as the scheduler sees it. */
  terminal: boolean;
  requestBytes: number;
}>;

/** Owners known from the List, to resolve workloads and replica counts. */
export type Owners = Readonly<{ replicaSets: ReadonlyMap<string, ReplicaSetInfo>; statefulSets: ReadonlyMap<string, number> }>;

const QOS_CLASSES: ReadonlySet<string> = new Set<QosClass>(['Guaranteed', 'Burstable', 'BestEffort']);

/** Identity, placement, phase and effective memory request of one pod. */
export function podBasics(item: Obj, path: string): PodBasics {
  const metadata = optObj(item['metadata'], `${path}.metadata`);
  const spec = optObj(item['spec'], `${path}.spec`);
  const status = optObj(item['status'], `${path}.status`);
  const phase = optStr(status['phase'], `${path}.status.phase`) || 'Pending';
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  return {
    namespace: optStr(metadata['namespace'], `${path}.metadata.namespace`) || 'default',
    name: str(metadata['name'], `${path}.metadata.name`),
    nodeName: optStr(spec['nodeName'], `${path}.spec.nodeName`) || null,
    phase,
    terminating: optTime(metadata['deletionTimestamp'], `${path}.metadata.deletionTimestamp`) !== null,
    terminal,
    // Terminal pods free their requests; skip the work (and any oddity in their specs).
    requestBytes: terminal ? 0 : effectiveMemoryRequest(item, path),
  };
}

/** The direct controller (`ownerReferences[]` with `controller: true`), as `GetControllerOf`. */
export function controllerOf(metadata: Obj, path: string): OwnerRef | null {
  const refs = metadata['ownerReferences'];
  if (refs === undefined || refs === null) return null;
  if (!Array.isArray(refs)) return fail(`${path}.ownerReferences`, 'an array');
  for (let i = 0; i < refs.length; i++) {
    const p = `${path}.ownerReferences[${i}]`;
    const ref = optObj(refs[i], p);
    if (optBool(ref['controller'], `${p}.controller`)) return { kind: str(ref['kind'], `${p}.kind`), name: str(ref['name'], `${p}.name`) };
  }
  return null;
}

/** Everything the planner reads about a pod of the target node. */
export function podFacts(item: Obj, path: string, basics: PodBasics, usageBytes: number, owners: Owners): PodFacts {
  const metadata = optObj(item['metadata'], `${path}.metadata`);
  const spec = optObj(item['spec'], `${path}.spec`);
  const status = optObj(item['status'], `${path}.status`);
  const owner = controllerOf(metadata, `${path}.metadata`);
  const resolved = owner === null ? null : resolveWorkload(basics.namespace, owner, owners.replicaSets, owners.statefulSets);
  const statusQos = optStr(status['qosClass'], `${path}.status.qosClass`);
  if (statusQos !== null && statusQos !== '' && !QOS_CLASSES.has(statusQos)) fail(`${path}.status.qosClass`, 'Guaranteed, Burstable or BestEffort');
  return {
    namespace: basics.namespace,
    name: basics.name,
    labels: strMap(metadata['labels'], `${path}.metadata.labels`),
    annotations: strMap(metadata['annotations'], `${path}.metadata.annotations`),
    phase: basics.phase,
    terminating: basics.terminating,
    nodeName: basics.nodeName ?? '',
    qosClass: statusQos ? (statusQos as QosClass) : computeQosClass(item, path),
    priorityClassName: optStr(spec['priorityClassName'], `${path}.spec.priorityClassName`) || null,
    priority: optInt(spec['priority'], `${path}.spec.priority`),
    owner,
    workload: resolved?.workload ?? null,
    replicas: resolved?.replicas ?? null,
    startTime: optTime(status['startTime'], `${path}.status.startTime`),
    creationTimestamp: optTime(metadata['creationTimestamp'], `${path}.metadata.creationTimestamp`),
    usageBytes,
    requestBytes: basics.terminal ? effectiveMemoryRequest(item, path) : basics.requestBytes,
    tolerations: parseTolerations(spec['tolerations'], `${path}.spec.tolerations`),
    nodeSelector: strMap(spec['nodeSelector'], `${path}.spec.nodeSelector`),
    requiredNodeAffinity: parseRequiredNodeAffinity(spec, `${path}.spec`),
  };
}
