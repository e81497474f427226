/**
 * Readers for the API objects the live facts need beyond pods and nodes: PodDisruptionBudgets,
 * ReplicaSets and StatefulSets, reduced exactly as `fromList` reduces them (same defaults, same
 * workload keys), so a live plan and a snapshot plan of the same cluster agree. Built on the
 * shared readers of `read.ts`; a malformed object is a `ShapeError`, caught by `readAll`.
 */
import { controllerOf } from './pod.ts';
import { type Obj, ShapeError, optInt, optObj, optStr, str } from './read.ts';
import { parseLabelSelector } from './selectors.ts';
import type { KubeObject } from '../kube/types.ts';
import { nodeBasics, type NodeBasics } from './node.ts';
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

/** A policy/v1 PodDisruptionBudget (an empty selector selects every pod of its namespace). */
export function readPdb(item: Obj, path: string): PdbFacts {
  const { namespace, name } = meta(item, path);
  const spec = optObj(item['spec'], `${path}.spec`);
  const status = optObj(item['status'], `${path}.status`);
  return {
    namespace,
    name,
    selector: parseLabelSelector(spec['selector'], `${path}.spec.selector`, true),
    disruptionsAllowed: optInt(status['disruptionsAllowed'], `${path}.status.disruptionsAllowed`) ?? 0,
  };
}

/** A ReplicaSet's workload key and what it tells about its pods. */
export function readReplicaSet(item: Obj, path: string): [string, ReplicaSetInfo] {
  const { namespace, name, metadata } = meta(item, path);
  return [workloadKey(namespace, 'ReplicaSet', name), { owner: controllerOf(metadata, `${path}.metadata`), replicas: replicasOf(item, path) }];
}

/** A StatefulSet's workload key and replica count. */
export function readStatefulSet(item: Obj, path: string): [string, number] {
  const { namespace, name } = meta(item, path);
  return [workloadKey(namespace, 'StatefulSet', name), replicasOf(item, path)];
}

/** Reads every item; the first malformed one is reported as a message instead of a throw. */
export function readAll<T>(items: readonly Obj[], what: string, read: (item: Obj, path: string) => T): { ok: true; value: T[] } | { ok: false; message: string } {
  try {
    return { ok: true, value: items.map((item, i) => read(item, `${what}[${i}]`)) };
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, message: err.message };
    throw err;
  }
}

/** Nodes parsed, with their UIDs (for Events). */
export function readNodes(items: KubeObject[]): { ok: true; value: { nodes: NodeBasics[]; uids: Map<string, string> } } | { ok: false; message: string } {
  const read = readAll(items, 'nodes', nodeBasics);
  if (!read.ok) return read;
  const uids = new Map<string, string>();
  for (const item of items) {
    const m = item['metadata'] as { uid?: unknown; name?: unknown } | undefined;
    if (typeof m?.uid === 'string' && typeof m.name === 'string') uids.set(m.name, m.uid);
  }
  return { ok: true, value: { nodes: read.value, uids } };
}

/** `metadata.name` of a raw object. */
export function nameOf(pod: KubeObject): string {
  const m = pod['metadata'] as { name?: unknown } | undefined;
  return typeof m?.name === 'string' ? m.name : '';
}

/** `metadata.namespace` of a raw object (`default` when empty). */
export function namespaceOf(pod: KubeObject): string {
  const m = pod['metadata'] as { namespace?: unknown } | undefined;
  return typeof m?.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
}

/** The controller kind when it is a ReplicaSet or StatefulSet (owners to look up), else null. */
export function ownerKind(pod: KubeObject): string | null {
  const refs = (pod['metadata'] as { ownerReferences?: unknown } | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return null;
  const ref = (refs as Array<{ controller?: unknown; kind?: unknown }>).find((r) => r.controller === true);
  return ref !== undefined && (ref.kind === 'ReplicaSet' || ref.kind === 'StatefulSet') ? ref.kind : null;
}
