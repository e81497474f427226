/**
 * A metrics exporter for the test cluster: serves, in Prometheus text format, the series a
 * kube-prometheus stack would have for the nodes and pods a test describes, so a real Prometheus
 * scrapes them and real rules and queries run on them. Scrape it with `honor_labels: true` (as
 * startPrometheus does): the series carry the labels kube-prometheus's relabelling would give.
 *
 * - node-exporter: `node_memory_MemTotal_bytes`, `node_memory_MemAvailable_bytes` with
 *   `instance` = node name, `job="node-exporter"`.
 * - cAdvisor (kubelet `/metrics/cadvisor`): `container_memory_working_set_bytes` per container
 *   (`namespace`, `pod`, `container`, `node`, `id`, `image`), plus the pod cgroup and the root
 *   cgroup (`container=""`), which a correct query must leave out.
 * - kube-state-metrics: `kube_pod_info`, `kube_pod_container_resource_requests` (memory),
 *   `kube_node_status_capacity` and `kube_node_status_allocatable` (memory).
 *
 * Timestamps: the kubelet writes explicit timestamps on cAdvisor series, so Prometheus 2.42 writes
 * no staleness marker when they vanish: a deleted pod's series lingers with an ageing timestamp.
 * `explicitTimestamps: 'cadvisor'` (default) reproduces that; `'all'` also timestamps the other
 * series (a federated or otherwise relayed source: a node that stops reporting keeps its last
 * sample, which ages); `'none'` timestamps nothing (every vanished series is marked stale and
 * disappears at the next scrape).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderFamilies, type Family } from './exposition.ts';

/** Options of startExporter. */
export type ExporterOptions = { explicitTimestamps?: 'cadvisor' | 'all' | 'none'; now?: () => number };

/** A running exporter whose state the test changes between scrapes. */
export interface TestExporter {
  /** `host:port`, for a scrape config. */
  readonly target: string;
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** Sets a node's memory: MemTotal = total, MemAvailable = total - used. */
  setNodeMemory(node: string, totalBytes: number, usedBytes: number, opts?: { allocatableBytes?: number }): void;
  /** Sets a pod's working set: bytes of one container `app`, or bytes per container. */
  setPodMemory(namespace: string, pod: string, node: string, bytes: number | Record<string, number>, opts?: { requestBytes?: number }): void;
  removePod(namespace: string, pod: string): void;
  /** Stops serving a node and the pods on it. */
  removeNode(node: string): void;
  /**
   * Serves the node's series and its pods' as they are now, stamped with this moment, from now
   * on: their samples age. A series that had no explicit timestamp before (node-exporter unless
   * `explicitTimestamps: 'all'`) is instead marked stale by Prometheus and disappears.
   */
  freezeNode(node: string): void;
  /** Serves the node live again. */
  thawNode(node: string): void;
  /** Scrapes answered so far. */
  scrapes(): number;
  /** The exposition the next scrape would get. */
  render(): string;
  stop(): Promise<void>;
}

type NodeState = { total: number; used: number; allocatable: number };
type PodState = { namespace: string; pod: string; node: string; containers: Record<string, number>; requestBytes?: number | undefined; uid: string };

/** Starts the exporter on 127.0.0.1 (a port of its own) with no nodes and no pods. */
export async function startExporter(opts: ExporterOptions = {}): Promise<TestExporter> {
  const mode = opts.explicitTimestamps ?? 'cadvisor';
  const now = opts.now ?? Date.now;
  const nodes = new Map<string, NodeState>();
  const pods = new Map<string, PodState>();
  const frozen = new Map<string, Family[]>();
  let scrapes = 0;
  let uidSeq = 0;

  const familiesFor = (node: string, at: number): Family[] => {
    const n = nodes.get(node);
    const onNode = [...pods.values()].filter((p) => p.node === node);
    const plainTs = mode === 'all' ? at : undefined;
    const cadvisorTs = mode === 'none' ? undefined : at;
    const fams: Family[] = [];
    if (n !== undefined) {
      const ne = { instance: node, job: 'node-exporter' };
      fams.push({ name: 'node_memory_MemTotal_bytes', help: 'Memory information field MemTotal_bytes.', samples: [{ labels: ne, value: n.total, ts: plainTs }] });
      fams.push({ name: 'node_memory_MemAvailable_bytes', help: 'Memory information field MemAvailable_bytes.', samples: [{ labels: ne, value: n.total - n.used, ts: plainTs }] });
      const ksm = { node, resource: 'memory', unit: 'byte', job: 'kube-state-metrics' };
      fams.push({ name: 'kube_node_status_capacity', help: 'The capacity for different resources of a node.', samples: [{ labels: ksm, value: n.total, ts: plainTs }] });
      fams.push({ name: 'kube_node_status_allocatable', help: 'The allocatable for different resources of a node.', samples: [{ labels: ksm, value: n.allocatable, ts: plainTs }] });
    }
    const cadvisor = { job: 'kubelet', metrics_path: '/metrics/cadvisor', node };
    const ws: Family = { name: 'container_memory_working_set_bytes', help: 'Current working set of the container in bytes', samples: [] };
    if (n !== undefined) ws.samples.push({ labels: { ...cadvisor, container: '', id: '/', namespace: '', pod: '', image: '' }, value: n.used, ts: cadvisorTs });
    const info: Family = { name: 'kube_pod_info', help: 'Information about pod.', samples: [] };
    const requests: Family = { name: 'kube_pod_container_resource_requests', help: 'The number of requested request resource by a container.', samples: [] };
    for (const p of onNode) {
      const cgroup = `/kubepods/burstable/pod${p.uid}`;
      const podLabels = { namespace: p.namespace, pod: p.pod };
      const sum = Object.values(p.containers).reduce((a, b) => a + b, 0);
      ws.samples.push({ labels: { ...cadvisor, ...podLabels, container: '', id: cgroup, image: '' }, value: sum, ts: cadvisorTs });
      for (const [container, bytes] of Object.entries(p.containers)) {
        ws.samples.push({ labels: { ...cadvisor, ...podLabels, container, id: `${cgroup}/${container}`, image: `registry.test/${container}:1` }, value: bytes, ts: cadvisorTs });
      }
      const ksmPod = { ...podLabels, node, job: 'kube-state-metrics' };
      info.samples.push({ labels: { ...ksmPod, uid: p.uid }, value: 1, ts: plainTs });
      if (p.requestBytes !== undefined) {
        const first = Object.keys(p.containers)[0] ?? 'app';
        requests.samples.push({ labels: { ...ksmPod, container: first, resource: 'memory', unit: 'byte' }, value: p.requestBytes, ts: plainTs });
      }
    }
    return [...fams, ws, info, requests].filter((f) => f.samples.length > 0);
  };

  const render = (): string => {
    const at = now();
    const names = new Set([...nodes.keys(), ...[...pods.values()].map((p) => p.node), ...frozen.keys()]);
    const all = [...names].sort().flatMap((node) => frozen.get(node) ?? familiesFor(node, at));
    return renderFamilies(all);
  };

  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    const body = render();
    scrapes += 1;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const podKey = (ns: string, pod: string) => `${ns}/${pod}`;

  return {
    target: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/metrics`,
    setNodeMemory(node, totalBytes, usedBytes, o = {}) {
      nodes.set(node, { total: totalBytes, used: usedBytes, allocatable: o.allocatableBytes ?? totalBytes });
    },
    setPodMemory(namespace, pod, node, bytes, o = {}) {
      const containers = typeof bytes === 'number' ? { app: bytes } : { ...bytes };
      const uid = pods.get(podKey(namespace, pod))?.uid ?? `00000000-0000-4000-8000-${String(++uidSeq).padStart(12, '0')}`;
      pods.set(podKey(namespace, pod), { namespace, pod, node, containers, requestBytes: o.requestBytes, uid });
    },
    removePod(namespace, pod) {
      pods.delete(podKey(namespace, pod));
    },
    removeNode(node) {
      nodes.delete(node);
      frozen.delete(node);
      for (const [key, p] of pods) if (p.node === node) pods.delete(key);
    },
    freezeNode(node) {
      frozen.set(node, familiesFor(node, now()).map((f) => ({ ...f, samples: f.samples.map((s) => ({ ...s, ts: s.ts ?? now() })) })));
    },
    thawNode(node) {
      frozen.delete(node);
    },
    scrapes: () => scrapes,
    render,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
