/**
 * `fromList`: `Facts` for one node from a Kubernetes `List`, as `kubectl get
 * nodes,pods,pdb,replicasets,deployments,statefulsets,daemonsets -A -o json` prints it, plus a
 * usage table. This is `/simulate`'s snapshot mode and the demo's cluster, so the same planner
 * can be tried without a cluster. The List comes from HTTP bodies: every field read is checked,
 * and a bad one is an `invalid-list` value naming its path. Items of other kinds are ignored, and
 * so are fields that decide nothing for this node (other nodes' pods are read for their phase,
 * node and requests only: that keeps 20,000 pods cheap).
 */
import { nodeBasics, type NodeBasics } from './node.ts';
import { readPdb, readReplicaSet, readStatefulSet } from './owners.ts';
import { podBasics, podFacts, type PodBasics } from './pod.ts';
import { type Obj, ShapeError, fail, isObj, optObj } from './read.ts';
import type { Facts, NodeFacts, PodFacts } from './types.ts';

/** Working-set bytes per node name and per pod (`namespace/name`), e.g. from Prometheus. */
export type Usage = Readonly<{ nodes?: Readonly<Record<string, number>>; pods?: Readonly<Record<string, number>> }>;

/** Facts for the node, or why not: the node is not in the List, or the List is malformed. */
export type FromListResult =
  | Readonly<{ ok: true; facts: Facts }>
  | Readonly<{ ok: false; error: 'unknown-node' | 'invalid-list'; message: string }>;

/**
 * Builds the facts of `nodeName`. A pod without usage counts 0 bytes; a node without usage counts
 * the sum of its non-terminal pods' usage. Requests of non-terminal pods (terminating ones
 * included, as the scheduler counts them) fill each node's requested bytes.
 */
export function fromList(list: unknown, usage: Usage, nodeName: string): FromListResult {
  try {
    return build(list, usage, nodeName);
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, error: 'invalid-list', message: err.message };
    throw err;
  }
}

type Buckets = Record<'Node' | 'Pod' | 'PodDisruptionBudget' | 'ReplicaSet' | 'StatefulSet', Array<[Obj, string]>>;

function build(list: unknown, usage: Usage, nodeName: string): FromListResult {
  if (!isObj(list) || !Array.isArray(list['items'])) return fail('cluster', 'a Kubernetes List: an object with an "items" array');
  const nodeUsage = usageTable(usage.nodes, 'usage.nodes');
  const podUsage = usageTable(usage.pods, 'usage.pods');
  const buckets = bucketItems(list['items'] as unknown[]);

  const nodes = new Map<string, NodeBasics>();
  for (const [item, path] of buckets.Node) {
    const node = nodeBasics(item, path);
    if (nodes.has(node.name)) fail(`${path}.metadata.name`, `a unique node name ("${node.name}" appears twice)`);
    nodes.set(node.name, node);
  }
  const owners = {
    replicaSets: new Map(buckets.ReplicaSet.map(([item, path]) => readReplicaSet(item, path))),
    statefulSets: new Map(buckets.StatefulSet.map(([item, path]) => readStatefulSet(item, path))),
  };
  const pdbs = buckets.PodDisruptionBudget.map(([item, path]) => readPdb(item, path));

  const requested = new Map<string, number>();
  const podUsageSum = new Map<string, number>();
  const seen = new Set<string>();
  const onTarget: Array<[Obj, string, PodBasics]> = [];
  for (const [item, path] of buckets.Pod) {
    const pod = podBasics(item, path);
    const key = `${pod.namespace}/${pod.name}`;
    if (seen.has(key)) fail(`${path}.metadata.name`, `a unique pod ("${key}" appears twice)`);
    seen.add(key);
    if (pod.nodeName === null || !nodes.has(pod.nodeName)) continue;
    if (pod.nodeName === nodeName) onTarget.push([item, path, pod]);
    if (pod.terminal) continue;
    requested.set(pod.nodeName, (requested.get(pod.nodeName) ?? 0) + pod.requestBytes);
    podUsageSum.set(pod.nodeName, (podUsageSum.get(pod.nodeName) ?? 0) + (podUsage.get(key) ?? 0));
  }

  const target = nodes.get(nodeName);
  if (target === undefined) return { ok: false, error: 'unknown-node', message: `node "${nodeName}" is not in the List` };
  const nodeFacts = (n: NodeBasics): NodeFacts => ({
    ...n,
    requestedBytes: requested.get(n.name) ?? 0,
    usedBytes: nodeUsage.get(n.name) ?? podUsageSum.get(n.name) ?? 0,
  });
  const pods: PodFacts[] = onTarget.map(([item, path, basics]) => podFacts(item, path, basics, podUsage.get(`${basics.namespace}/${basics.name}`) ?? 0, owners));
  const otherNodes: NodeFacts[] = [];
  for (const n of nodes.values()) if (n.name !== nodeName) otherNodes.push(nodeFacts(n));
  return { ok: true, facts: { node: nodeFacts(target), pods, pdbs, otherNodes, recentWorkloadEvictions: {} } };
}

function bucketItems(items: readonly unknown[]): Buckets {
  const buckets: Buckets = { Node: [], Pod: [], PodDisruptionBudget: [], ReplicaSet: [], StatefulSet: [] };
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const path = `cluster.items[${i}]`;
    if (!isObj(item)) fail(path, 'an object');
    const kind = item['kind'];
    if (typeof kind === 'string' && Object.hasOwn(buckets, kind)) buckets[kind as keyof Buckets].push([item, path]);
  }
  return buckets;
}

function usageTable(v: unknown, path: string): Map<string, number> {
  const table = new Map<string, number>();
  if (v === undefined || v === null) return table;
  const o = optObj(v, path);
  for (const key of Object.keys(o)) {
    const bytes = o[key];
    if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) fail(`${path}["${key}"]`, 'a non-negative number of bytes');
    table.set(key, bytes);
  }
  return table;
}

