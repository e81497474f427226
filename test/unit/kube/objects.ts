/**
 * Kubernetes objects in their JSON shape for tests: the same objects the integration tests create
 * on the real API server (minus server-set fields), so the unit and integration suites agree on
 * what a "Deployment pod using 1 GiB" is.
 */
export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

/** A Ready, schedulable node with `memory` capacity (a Kubernetes quantity). */
export function rawNode(name: string, memory = '16Gi', o: { unschedulable?: boolean; ready?: boolean; uid?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: o.uid ?? `uid-${name}`, labels: { 'kubernetes.io/hostname': name } },
    spec: { unschedulable: o.unschedulable ?? false },
    status: { capacity: { memory }, allocatable: { memory }, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

/** Options of `rawPod`. */
export type PodOptions = { node: string; namespace?: string; request?: string; app?: string; rs?: string; ss?: string; phase?: string; startTime?: string; annotations?: Record<string, string> };

/** A pod bound to `node`, Running, owned by ReplicaSet `rs` (default `<app>-rs`) unless `ss`. */
export function rawPod(name: string, o: PodOptions): Record<string, unknown> {
  const namespace = o.namespace ?? 'shop';
  const app = o.app ?? name;
  const owner = o.ss !== undefined ? { apiVersion: 'apps/v1', kind: 'StatefulSet', name: o.ss, uid: `uid-ss-${o.ss}`, controller: true } : { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.rs ?? `${app}-rs`, uid: `uid-rs-${o.rs ?? app}`, controller: true };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels: { app }, annotations: o.annotations ?? {}, ownerReferences: [owner], creationTimestamp: '2026-11-27T10:00:00Z' },
    spec: { nodeName: o.node, containers: [{ name: 'c', image: 'example.invalid/app:1', resources: { requests: { memory: o.request ?? '512Mi' } } }] },
    status: { phase: o.phase ?? 'Running', qosClass: 'Burstable', startTime: o.startTime ?? '2026-11-27T10:00:00Z', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A ReplicaSet owned by Deployment `deployment`. */
export function rawReplicaSet(name: string, deployment: string, replicas: number, namespace = 'shop'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: `uid-d-${deployment}`, controller: true }] },
    spec: { replicas, selector: { matchLabels: { app: deployment } } },
  };
}

/** A policy/v1 PDB on `app` with `allowed` disruptions in its status. */
export function rawPdb(name: string, app: string, allowed: number, namespace = 'shop'): Record<string, unknown> {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec: { minAvailable: 1, selector: { matchLabels: { app } } }, status: { disruptionsAllowed: allowed } };
}
