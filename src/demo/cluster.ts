/**
 * The demo's simulated cluster: six nodes and about eighty pods, built as the Kubernetes `List`
 * that `kubectl get nodes,pods,pdb,replicasets,... -A -o json` prints, so the demo runs the same
 * `fromList` and planner as `/simulate`. `worker-1` is the hot node and holds one pod for every
 * protection reason, every QoS class, PDBs and workloads with several replicas; `worker-5` is
 * cordoned and `gpu-1` tainted, so placement has something to refuse. Deterministic: no clock or
 * randomness, times are offsets from `now`.
 */

const GI = 1024 ** 3;
const MI = 1024 ** 2;

type Json = Record<string, unknown>;

/** One workload of the demo: where its pods run and what they look like. */
type Workload = {
  ns: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Bare' | 'Mirror';
  nodes: readonly string[];
  /** Memory request and limit in MiB; undefined means none (BestEffort). */
  request?: number;
  limit?: number;
  /** Working set per pod, MiB. */
  usage: number;
  /** Pod age in minutes. */
  ageMinutes: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
};

/** The demo's node names, hot node first. */
export const DEMO_NODES = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'gpu-1'] as const;

/** The node the demo's sample alert names. */
export const DEMO_HOT_NODE = 'worker-1';

const W1 = ['worker-1'];
const SPREAD = ['worker-2', 'worker-3', 'worker-4'];

/** The workloads; comments say which protection reason or decision each one demonstrates. */
const WORKLOADS: readonly Workload[] = [
  { ns: 'kube-system', name: 'coredns', kind: 'Deployment', nodes: ['worker-1', 'worker-2'], request: 70, limit: 170, usage: 60, ageMinutes: 20000, priorityClassName: 'system-cluster-critical' }, // protected-namespace, critical-priority
  { ns: 'monitoring', name: 'node-exporter', kind: 'DaemonSet', nodes: DEMO_NODES, request: 64, limit: 128, usage: 40, ageMinutes: 20000 }, // protected-namespace, daemonset
  { ns: 'shop', name: 'log-shipper', kind: 'DaemonSet', nodes: DEMO_NODES, request: 200, limit: 400, usage: 180, ageMinutes: 9000 }, // daemonset
  { ns: 'default', name: 'static-web-worker-1', kind: 'Mirror', nodes: W1, request: 128, limit: 128, usage: 100, ageMinutes: 30000 }, // mirror-pod
  { ns: 'default', name: 'debug-shell', kind: 'Bare', nodes: W1, usage: 30, ageMinutes: 15 }, // no-controller
  { ns: 'payments', name: 'checkout-api', kind: 'Deployment', nodes: ['worker-1', 'worker-2', 'worker-3'], request: 1024, limit: 1024, usage: 900, ageMinutes: 4000, labels: { 'business-critical': 'true' } }, // protected-label
  { ns: 'data', name: 'redis-cache', kind: 'StatefulSet', nodes: ['worker-1', 'worker-3'], request: 2048, limit: 2048, usage: 1900, ageMinutes: 12000 }, // protected-prefix
  { ns: 'shop', name: 'report-builder', kind: 'Deployment', nodes: ['worker-1', 'worker-4'], request: 512, usage: 700, ageMinutes: 300, annotations: { 'headroom.dev/evict': 'never' } }, // opted-out
  { ns: 'shop', name: 'invoice-batch', kind: 'Deployment', nodes: W1, request: 256, usage: 400, ageMinutes: 100, annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } }, // opted-out (autoscaler)
  { ns: 'shop', name: 'ingress-nginx', kind: 'Deployment', nodes: ['worker-1', 'worker-2'], request: 256, limit: 512, usage: 300, ageMinutes: 9000, priorityClassName: 'system-node-critical' }, // critical-priority
  { ns: 'shop', name: 'cart', kind: 'Deployment', nodes: ['worker-1', 'worker-2'], request: 512, limit: 1024, usage: 800, ageMinutes: 600 }, // pdb (disruptionsAllowed 0)
  { ns: 'shop', name: 'web', kind: 'Deployment', nodes: ['worker-1', 'worker-1', 'worker-2', 'worker-3', 'worker-4'], request: 256, limit: 1024, usage: 750, ageMinutes: 40 }, // two on worker-1: workload-cooldown for the second
  { ns: 'ml', name: 'trainer', kind: 'Deployment', nodes: W1, request: 6144, limit: 8192, usage: 2650, ageMinutes: 20, nodeSelector: { 'node.kubernetes.io/instance-type': 'm6i.2xlarge' } }, // no-room: only worker-1 has that type
  { ns: 'shop', name: 'thumbnailer', kind: 'Deployment', nodes: ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-2'], usage: 1400, ageMinutes: 25 }, // BestEffort, young, 5 replicas: the first to go
  { ns: 'shop', name: 'recommendations', kind: 'Deployment', nodes: ['worker-1', 'worker-3', 'worker-4'], request: 512, limit: 2048, usage: 1600, ageMinutes: 200 }, // Burstable
  { ns: 'shop', name: 'search', kind: 'Deployment', nodes: ['worker-1', 'worker-4'], request: 1536, limit: 1536, usage: 1400, ageMinutes: 3000 }, // Guaranteed, old, 2 replicas: last
  { ns: 'shop', name: 'catalog', kind: 'Deployment', nodes: SPREAD, request: 384, limit: 768, usage: 420, ageMinutes: 5000 },
  { ns: 'shop', name: 'orders', kind: 'StatefulSet', nodes: SPREAD, request: 1024, limit: 1024, usage: 600, ageMinutes: 8000 },
  { ns: 'shop', name: 'emails', kind: 'Deployment', nodes: [...SPREAD, 'worker-5'], request: 128, limit: 256, usage: 120, ageMinutes: 900 },
  { ns: 'analytics', name: 'etl', kind: 'Deployment', nodes: [...SPREAD, ...SPREAD], request: 512, limit: 1024, usage: 350, ageMinutes: 2000 },
  { ns: 'analytics', name: 'dashboards', kind: 'Deployment', nodes: SPREAD, request: 256, usage: 300, ageMinutes: 700 },
  { ns: 'ml', name: 'inference', kind: 'Deployment', nodes: ['gpu-1', 'gpu-1'], request: 4096, limit: 4096, usage: 3800, ageMinutes: 3000, nodeSelector: { 'nvidia.com/gpu.present': 'true' } },
  { ns: 'logging', name: 'loki', kind: 'StatefulSet', nodes: ['worker-4', 'worker-5'], request: 1024, limit: 2048, usage: 1100, ageMinutes: 20000 },
  { ns: 'shop', name: 'cron-cleanup', kind: 'Deployment', nodes: ['worker-5', 'worker-5'], request: 64, usage: 50, ageMinutes: 60 },
  { ns: 'payment-system', name: 'ledger', kind: 'Deployment', nodes: ['worker-2', 'worker-3'], request: 768, limit: 768, usage: 600, ageMinutes: 6000 },
  { ns: 'shop', name: 'session-store', kind: 'Deployment', nodes: [...SPREAD, 'worker-2'], request: 256, limit: 512, usage: 350, ageMinutes: 1500 },
  { ns: 'shop', name: 'feature-flags', kind: 'Deployment', nodes: [...SPREAD], request: 64, limit: 128, usage: 70, ageMinutes: 10000 },
  { ns: 'shop', name: 'image-cache', kind: 'Deployment', nodes: ['worker-2', 'worker-4'], usage: 300, ageMinutes: 50 },
];

const iso = (now: Date, minutesAgo: number): string => new Date(now.getTime() - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A stable pseudo-hash suffix, like the ones controllers generate. */
function suffix(seed: string, length: number): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out += alphabet[h % alphabet.length] ?? 'x';
  }
  return out;
}

function node(name: string, now: Date): Json {
  const gpu = name.startsWith('gpu');
  const capacity = gpu ? 32 * GI : 16 * GI;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      creationTimestamp: iso(now, 50_000),
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': name === 'worker-1' ? 'm6i.2xlarge' : gpu ? 'g5.2xlarge' : 'm6i.xlarge',
        ...(gpu ? { 'nvidia.com/gpu.present': 'true' } : {}),
      },
    },
    spec: {
      ...(name === 'worker-5' ? { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } : {}),
      ...(gpu ? { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      capacity: { cpu: '8', memory: `${capacity / 1024}Ki`, pods: '110' },
      allocatable: { cpu: '7910m', memory: `${(capacity - 700 * MI) / 1024}Ki`, pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  };
}

function ownerRef(kind: string, name: string): Json {
  return { apiVersion: kind === 'Node' ? 'v1' : 'apps/v1', kind, name, uid: `uid-${suffix(kind + name, 8)}`, controller: true, blockOwnerDeletion: true };
}

/** Name of the ReplicaSet a Deployment's pods belong to. */
export function replicaSetName(deployment: string): string {
  return `${deployment}-${suffix(deployment, 10)}`;
}

function pod(w: Workload, nodeName: string, index: number, now: Date): Json {
  const name =
    w.kind === 'StatefulSet' ? `${w.name}-${index}` : w.kind === 'Bare' || w.kind === 'Mirror' ? w.name : w.kind === 'DaemonSet' ? `${w.name}-${suffix(w.name + nodeName, 5)}` : `${replicaSetName(w.name)}-${suffix(`${w.name}${index}`, 5)}`;
  const owner =
    w.kind === 'Deployment' ? ownerRef('ReplicaSet', replicaSetName(w.name)) : w.kind === 'StatefulSet' || w.kind === 'DaemonSet' ? ownerRef(w.kind, w.name) : w.kind === 'Mirror' ? ownerRef('Node', nodeName) : null;
  const resources: Json = {};
  if (w.request !== undefined) resources.requests = { cpu: '100m', memory: `${w.request}Mi` };
  if (w.limit !== undefined) resources.limits = { ...(w.limit === w.request ? { cpu: '100m' } : {}), memory: `${w.limit}Mi` };
  const qos = w.request === undefined && w.limit === undefined ? 'BestEffort' : w.limit !== undefined && w.limit === w.request ? 'Guaranteed' : 'Burstable';
  const tolerations = w.nodeSelector?.['nvidia.com/gpu.present'] !== undefined || w.kind === 'DaemonSet' ? [{ operator: 'Exists' }] : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: w.ns,
      creationTimestamp: iso(now, w.ageMinutes + index),
      labels: { app: w.name, ...(w.labels ?? {}) },
      annotations: { ...(w.annotations ?? {}), ...(w.kind === 'Mirror' ? { 'kubernetes.io/config.mirror': suffix(name, 16) } : {}) },
      ...(owner ? { ownerReferences: [owner] } : {}),
    },
    spec: {
      nodeName,
      containers: [{ name: w.name, image: `registry.example/${w.name}:1.4.2`, resources }],
      ...(w.priorityClassName ? { priorityClassName: w.priorityClassName } : {}),
      ...(w.nodeSelector ? { nodeSelector: w.nodeSelector } : {}),
      ...(tolerations ? { tolerations } : {}),
    },
    status: { phase: 'Running', qosClass: qos, startTime: iso(now, w.ageMinutes + index), conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function owners(w: Workload, now: Date): Json[] {
  const replicas = w.nodes.length;
  if (w.kind === 'Deployment') {
    return [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: w.name, namespace: w.ns, creationTimestamp: iso(now, w.ageMinutes + 60) }, spec: { replicas, selector: { matchLabels: { app: w.name } } } },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: replicaSetName(w.name), namespace: w.ns, ownerReferences: [{ ...ownerRef('Deployment', w.name) }] },
        spec: { replicas, selector: { matchLabels: { app: w.name } } },
        status: { replicas, readyReplicas: replicas },
      },
    ];
  }
  if (w.kind === 'StatefulSet') return [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: w.name, namespace: w.ns }, spec: { replicas, selector: { matchLabels: { app: w.name } } } }];
  if (w.kind === 'DaemonSet') return [{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: w.name, namespace: w.ns }, spec: { selector: { matchLabels: { app: w.name } } } }];
  return [];
}

function pdb(ns: string, app: string, minAvailable: number, allowed: number): Json {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${app}-pdb`, namespace: ns, generation: 1 },
    spec: { minAvailable, selector: { matchLabels: { app } } },
    status: { observedGeneration: 1, disruptionsAllowed: allowed, currentHealthy: minAvailable + allowed, desiredHealthy: minAvailable, expectedPods: minAvailable + allowed },
  };
}

/** The simulated cluster as a `List`, and each pod's working set in bytes (`namespace/name`). */
export function demoCluster(now: Date): { list: { apiVersion: 'v1'; kind: 'List'; items: Json[] }; podUsage: Record<string, number> } {
  const items: Json[] = DEMO_NODES.map((n) => node(n, now));
  const podUsage: Record<string, number> = {};
  for (const w of WORKLOADS) {
    items.push(...owners(w, now));
    w.nodes.forEach((nodeName, i) => {
      const p = pod(w, nodeName, i, now);
      items.push(p);
      const meta = p.metadata as { name: string };
      podUsage[`${w.ns}/${meta.name}`] = w.usage * MI;
    });
  }
  items.push(pdb('shop', 'cart', 2, 0), pdb('shop', 'web', 4, 1), pdb('data', 'redis-cache', 1, 1));
  return { list: { apiVersion: 'v1', kind: 'List', items }, podUsage };
}
