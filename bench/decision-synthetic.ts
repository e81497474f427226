/**
 * A synthetic cluster for part 2 of bench:decision, generated from indices so the benchmark holds
 * none of it: `SIZE.nodes` Nodes and `SIZE.pods` Pods shaped as a real API server prints them
 * (managedFields, probes, projected token volume, container statuses; nodes with 30 images, as
 * kubelets report them), ReplicaSets (a current and an old one per Deployment), StatefulSets and
 * PDBs. Pod `i` runs on node `i % nodes` in namespace `ns-<i / 200>`, so a node's ten pods come
 * from ten namespaces. Memory: 64 GiB nodes at 50% (the `HOT` ones at 95%), pods requesting
 * 1-4 GiB and using 90% of it.
 */

/** The cluster's size. */
export const SIZE = { nodes: 5000, pods: 50_000, perNamespace: 200, deploymentsPerNamespace: 45, replicas: 4, statefulSetReplicas: 10 } as const;
/** Namespaces (pods / pods per namespace). */
export const NAMESPACES = SIZE.pods / SIZE.perNamespace;
const GiB = 2 ** 30;
/** Node capacity in bytes. */
export const NODE_BYTES = 64 * GiB;
/** Nodes the benchmark evaluates (spread over the cluster), over the threshold. */
export const HOT: readonly number[] = Array.from({ length: 20 }, (_, k) => k * 250 + 7);
const hot = new Set(HOT);

const TIME = '2026-05-01T08:00:00Z';
const hex = (n: number, width: number): string => (n >>> 0).toString(16).padStart(8, '0').repeat(Math.ceil(width / 8)).slice(0, width);
const uid = (kind: number, i: number): string => `${hex(kind * 7919 + i, 8)}-${hex(i, 4)}-4${hex(kind, 3)}-8${hex(i * 31, 3)}-${hex(i * 2654435761, 12)}`;

/** The name of node `i`. */
export const nodeName = (i: number): string => `ip-10-${(i >> 8) & 255}-${i & 255}-${(i * 7) % 250}.eu-west-1.compute.internal`;
/** The namespace of the `k`-th namespace. */
export const namespaceName = (k: number): string => `ns-${k}`;
/** The index of a node by name (the names are unique), or -1. */
export function nodeIndex(name: string): number {
  const m = /^ip-10-(\d+)-(\d+)-\d+\./.exec(name);
  return m ? Number(m[1]) * 256 + Number(m[2]) : -1;
}

/** Bytes in use on node `i`. */
export const nodeUsed = (i: number): number => (hot.has(i) ? 0.95 : 0.5) * NODE_BYTES;
/** Memory request of pod `i`, bytes. */
export const podRequest = (i: number): number => (1 + (i % 4)) * GiB;

/** Where pod `i` belongs. */
export function podPlace(i: number): { namespace: string; name: string; node: string; owner: { kind: 'ReplicaSet' | 'StatefulSet'; name: string; app: string } } {
  const ns = Math.floor(i / SIZE.perNamespace);
  const j = i % SIZE.perNamespace;
  const d = Math.floor(j / SIZE.replicas);
  const namespace = namespaceName(ns);
  if (d < SIZE.deploymentsPerNamespace) {
    const app = `svc-${d}`;
    const rs = `${app}-${hex(ns * 100 + d, 10).slice(0, 10)}`;
    return { namespace, name: `${rs}-${hex(i, 5)}`, node: nodeName(i % SIZE.nodes), owner: { kind: 'ReplicaSet', name: rs, app } };
  }
  const s = Math.floor((j - SIZE.deploymentsPerNamespace * SIZE.replicas) / SIZE.statefulSetReplicas);
  const app = `db-${s}`;
  return { namespace, name: `${app}-${(j - SIZE.deploymentsPerNamespace * SIZE.replicas) % SIZE.statefulSetReplicas}`, node: nodeName(i % SIZE.nodes), owner: { kind: 'StatefulSet', name: app, app } };
}

const condition = (type: string, status = 'True') => ({ type, status, lastProbeTime: null, lastTransitionTime: TIME });
const fields = (...keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [`f:${k}`, {}]));

/** Pod `i` as the API server lists it. */
export function pod(i: number): object {
  const p = podPlace(i);
  const mem = `${1 + (i % 4)}Gi`;
  const image = `registry.example.com/${p.namespace}/${p.owner.app}:v1.${i % 9}.${i % 5}`;
  const token = `kube-api-access-${hex(i, 5)}`;
  const container = (name: string, img: string, memory: string) => ({
    name,
    image: img,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc:4317' },
    ],
    resources: { requests: { cpu: '250m', memory }, limits: { memory } },
    volumeMounts: [{ name: token, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
    livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 10, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/readyz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  });
  const status = (name: string, img: string) => ({
    name,
    state: { running: { startedAt: TIME } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: img,
    imageID: `${img.split(':')[0] ?? img}@sha256:${hex(i * 13, 64)}`,
    containerID: `containerd://${hex(i * 17, 64)}`,
    started: true,
  });
  return {
    metadata: {
      name: p.name,
      generateName: `${p.owner.name}-`,
      namespace: p.namespace,
      uid: uid(1, i),
      resourceVersion: String(20_000_000 + i),
      creationTimestamp: TIME,
      labels: { app: p.owner.app, 'app.kubernetes.io/name': p.owner.app, 'app.kubernetes.io/part-of': p.namespace, 'pod-template-hash': hex(i, 10), version: `v1.${i % 9}` },
      annotations: { 'kubectl.kubernetes.io/restartedAt': TIME, 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: p.owner.kind, name: p.owner.name, uid: uid(2, i >> 2), controller: true, blockOwnerDeletion: true }],
      managedFields: [
        { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: TIME, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': fields('app', 'pod-template-hash', 'version'), 'f:ownerReferences': {} }, 'f:spec': fields('containers', 'dnsPolicy', 'enableServiceLinks', 'restartPolicy', 'schedulerName', 'securityContext', 'terminationGracePeriodSeconds') } },
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: TIME, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': fields('conditions', 'containerStatuses', 'hostIP', 'hostIPs', 'phase', 'podIP', 'podIPs', 'startTime') }, subresource: 'status' },
      ],
    },
    spec: {
      volumes: [{ name: token, projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }], defaultMode: 420 } }],
      containers: [container('app', image, mem), container('envoy', 'registry.example.com/mesh/envoy:v1.31.2', '128Mi')],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      nodeName: p.node,
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: [condition('PodReadyToStartContainers'), condition('Initialized'), condition('Ready'), condition('ContainersReady'), condition('PodScheduled')],
      hostIP: `10.${(i >> 8) & 255}.${i & 255}.10`,
      hostIPs: [{ ip: `10.${(i >> 8) & 255}.${i & 255}.10` }],
      podIP: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      podIPs: [{ ip: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
      startTime: TIME,
      containerStatuses: [status('app', image), status('envoy', 'registry.example.com/mesh/envoy:v1.31.2')],
      qosClass: 'Burstable',
    },
  };
}

/** Node `i` as the API server lists it. */
export function node(i: number): object {
  const name = nodeName(i);
  const zone = `eu-west-1${'abc'[i % 3] ?? 'a'}`;
  const mem = `${NODE_BYTES / 1024}Ki`;
  const resources = { cpu: '16', 'ephemeral-storage': '203056560Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: mem, pods: '110' };
  return {
    metadata: {
      name,
      uid: uid(3, i),
      resourceVersion: String(30_000_000 + i),
      creationTimestamp: TIME,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/instance-type': 'm6i.4xlarge', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm6i.4xlarge', 'topology.kubernetes.io/region': 'eu-west-1', 'topology.kubernetes.io/zone': zone, 'karpenter.sh/nodepool': `pool-${i % 4}`, 'karpenter.sh/capacity-type': i % 5 === 0 ? 'spot' : 'on-demand', 'team.example.com/pool': 'general',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', 'alpha.kubernetes.io/provided-node-ip': `10.${(i >> 8) & 255}.${i & 255}.10`, 'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"i-${hex(i, 17)}"}` },
      managedFields: [
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: TIME, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': fields('alpha.kubernetes.io/provided-node-ip', 'volumes.kubernetes.io/controller-managed-attach-detach'), 'f:labels': fields('kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os') } } },
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: TIME, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': fields('allocatable', 'capacity', 'conditions', 'daemonEndpoints', 'images', 'nodeInfo') }, subresource: 'status' },
      ],
    },
    spec: { podCIDR: `100.${(i >> 8) & 255}.${i & 255}.0/24`, podCIDRs: [`100.${(i >> 8) & 255}.${i & 255}.0/24`], providerID: `aws:///${zone}/i-${hex(i, 17)}` },
    status: {
      capacity: resources,
      allocatable: { ...resources, memory: `${(NODE_BYTES - GiB) / 1024}Ki` },
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({ type, status: type === 'Ready' ? 'True' : 'False', lastHeartbeatTime: TIME, lastTransitionTime: TIME, reason: type === 'Ready' ? 'KubeletReady' : `KubeletHasNo${type}`, message: type === 'Ready' ? 'kubelet is posting ready status' : `kubelet has no ${type.toLowerCase()}` })),
      addresses: [{ type: 'InternalIP', address: `10.${(i >> 8) & 255}.${i & 255}.10` }, { type: 'InternalDNS', address: name }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: hex(i * 3, 32), systemUUID: uid(4, i), bootID: uid(5, i), kernelVersion: '6.1.119-129.201.amzn2023.x86_64', osImage: 'Amazon Linux 2023.6.20241212', containerRuntimeVersion: 'containerd://1.7.23', kubeletVersion: 'v1.37.2', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
      images: Array.from({ length: 30 }, (_, k) => {
        const repo = `registry.example.com/ns-${(i + k) % NAMESPACES}/svc-${k}`;
        return { names: [`${repo}@sha256:${hex(k * 101 + (i % 50), 64)}`, `${repo}:v1.${k % 9}.${i % 5}`], sizeBytes: 50_000_000 + k * 1_000_003 };
      }),
    },
  };
}

/** ReplicaSets of namespace `k`: the current and one older (scaled to 0) per Deployment. */
export function replicaSets(k: number): object[] {
  return Array.from({ length: SIZE.deploymentsPerNamespace * 2 }, (_, n) => {
    const d = n >> 1;
    const app = `svc-${d}`;
    const name = n % 2 === 0 ? `${app}-${hex(k * 100 + d, 10).slice(0, 10)}` : `${app}-${hex(k * 100 + d + 7, 10).slice(0, 10)}`;
    return {
      metadata: { name, namespace: namespaceName(k), uid: uid(6, k * 1000 + n), resourceVersion: String(40_000_000 + n), generation: 3, creationTimestamp: TIME, labels: { app, 'pod-template-hash': name.slice(-10) }, annotations: { 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5', 'deployment.kubernetes.io/revision': n % 2 === 0 ? '7' : '6' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: uid(7, k * 100 + d), controller: true, blockOwnerDeletion: true }] },
      spec: { replicas: n % 2 === 0 ? SIZE.replicas : 0, selector: { matchLabels: { app, 'pod-template-hash': name.slice(-10) } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: `registry.example.com/${namespaceName(k)}/${app}:v1` }] } } },
      status: { replicas: n % 2 === 0 ? SIZE.replicas : 0, fullyLabeledReplicas: SIZE.replicas, readyReplicas: SIZE.replicas, availableReplicas: SIZE.replicas, observedGeneration: 3 },
    };
  });
}

/** StatefulSets of namespace `k`. */
export function statefulSets(k: number): object[] {
  const count = (SIZE.perNamespace - SIZE.deploymentsPerNamespace * SIZE.replicas) / SIZE.statefulSetReplicas;
  return Array.from({ length: count }, (_, s) => ({ metadata: { name: `db-${s}`, namespace: namespaceName(k), uid: uid(8, k * 10 + s), creationTimestamp: TIME }, spec: { replicas: SIZE.statefulSetReplicas, serviceName: `db-${s}`, selector: { matchLabels: { app: `db-${s}` } } }, status: { replicas: SIZE.statefulSetReplicas, readyReplicas: SIZE.statefulSetReplicas } }));
}

/** PDBs: one for every fifth Deployment (minAvailable 2 of 4, so 2 disruptions allowed). */
export const PDBS = NAMESPACES * Math.ceil(SIZE.deploymentsPerNamespace / 5);
/** PDB `i` of `PDBS`. */
export function pdb(i: number): object {
  const per = Math.ceil(SIZE.deploymentsPerNamespace / 5);
  const k = Math.floor(i / per);
  const app = `svc-${(i % per) * 5}`;
  return { metadata: { name: app, namespace: namespaceName(k), uid: uid(9, i), generation: 1, creationTimestamp: TIME }, spec: { minAvailable: 2, selector: { matchLabels: { app } } }, status: { observedGeneration: 1, disruptionsAllowed: 2, currentHealthy: 4, desiredHealthy: 2, expectedPods: 4, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', lastTransitionTime: TIME, observedGeneration: 1 }] } };
}
