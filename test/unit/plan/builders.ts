/**
 * Small builders for planner tests: a pod, a node, facts and the default policy, each overridable
 * field by field, so a table row states only what it is about.
 */
import { resolveConfig } from '../../../src/config/load.ts';
import type { Facts, NodeFacts, PodFacts } from '../../../src/facts/types.ts';
import { policyFromConfig, type Policy } from '../../../src/plan/policy.ts';

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
export const NOW = new Date('2026-11-27T12:00:00Z');

/** `NOW` minus `minutes`, as an ISO string. */
export function ago(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

/** A running, Burstable, 30-minute-old Deployment pod on `n0` using 1 GiB and requesting 512 MiB. */
export function pod(o: Partial<PodFacts> & { name: string }): PodFacts {
  return {
    namespace: 'shop',
    labels: {},
    annotations: {},
    phase: 'Running',
    terminating: false,
    nodeName: 'n0',
    qosClass: 'Burstable',
    priorityClassName: null,
    priority: null,
    owner: { kind: 'ReplicaSet', name: `${o.name}-rs` },
    workload: `${o.namespace ?? 'shop'}/Deployment/${o.name}`,
    replicas: 3,
    startTime: ago(30),
    creationTimestamp: ago(31),
    usageBytes: GiB,
    requestBytes: 512 * MiB,
    tolerations: [],
    nodeSelector: {},
    requiredNodeAffinity: null,
    ...o,
  };
}

/** A ready, schedulable 16 GiB node with nothing requested and 4 GiB used. */
export function node(o: Partial<NodeFacts> & { name: string }): NodeFacts {
  return {
    capacityBytes: 16 * GiB,
    allocatableBytes: 16 * GiB,
    requestedBytes: 0,
    usedBytes: 4 * GiB,
    ready: true,
    unschedulable: false,
    labels: {},
    taints: [],
    ...o,
  };
}

/** Target node `n0` at 15 of 16 GiB used, two roomy peers, and the given pods. */
export function facts(o: Partial<Facts> = {}): Facts {
  return {
    node: node({ name: 'n0', usedBytes: 15 * GiB }),
    pods: [],
    pdbs: [],
    otherNodes: [node({ name: 'n1' }), node({ name: 'n2' })],
    recentWorkloadEvictions: {},
    ...o,
  };
}

const defaults: Policy = (() => {
  const resolved = resolveConfig({});
  if (!resolved.ok) throw new Error('default config does not resolve');
  return policyFromConfig(resolved.config);
})();

/** The policy of the default config, with overrides. */
export function policy(o: Partial<Policy> = {}): Policy {
  return { ...defaults, ...o };
}
