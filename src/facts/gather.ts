/**
 * `FactsGatherer`: the live `Facts` of one node, from the API server and the metrics pipeline.
 * Raw answers are cached (S4.3: nodes and PDBs `cache.node_cache_ttl`, pods, owners and every
 * node's requests `cache.pod_cache_ttl`) so repeated alerts spare the API server; after headroom
 * acts on a node, `invalidate` drops what acting changed. Usage is never cached: it is read now.
 */
import type { KubeApi, KubeFailure, KubeObject } from '../kube/types.ts';
import type { Facts } from './types.ts';
import { TtlCache } from './gather-cache.ts';
import { nameOf, namespaceOf, ownerKind, readAll, readNodes } from './gather-read.ts';
import { readPdb, readReplicaSet, readStatefulSet } from './owners.ts';
import { sumRequestsByNode, type RequestSums } from './gather-requests.ts';
import type { UsageFailure, UsageReading, UsageSource } from './gather-usage.ts';
import type { NodeBasics } from './node.ts';
import type { Owners } from './pod.ts';
import { assemble } from './gather-assemble.ts';
import type { PdbFacts } from './types.ts';
import type { ReplicaSetInfo } from './workload.ts';

/** Why facts could not be gathered, as a value. */
export type GatherFailure =
  | Readonly<{ error: 'unknown-node'; message: string }>
  | Readonly<{ error: 'kube'; message: string; failure: KubeFailure }>
  | Readonly<{ error: 'usage'; message: string; failure: UsageFailure }>
  | Readonly<{ error: 'invalid-object'; message: string }>;

/**
 * The facts, or why not. `uids` maps `namespace/name` of the node's pods, and the node's name, to
 * their UIDs: Events carry them so `kubectl describe` finds them.
 */
export type GatherResult = { ok: true; facts: Facts; uids: ReadonlyMap<string, string> } | ({ ok: false } & GatherFailure);

/** The cluster's nodes as parsed, with their UIDs. */
export type NodeList = Readonly<{ nodes: readonly NodeBasics[]; uids: ReadonlyMap<string, string> }>;

/** What the gatherer needs; `nowMs` drives the caches (monotonic milliseconds). */
export type GatherOptions = Readonly<{
  api: KubeApi;
  usage: UsageSource;
  nodeCacheSeconds: number;
  podCacheSeconds: number;
  nowMs?: () => number;
}>;

/** Per-call inputs: usage already read (or being read) by the caller is reused, not read twice. */
export type GatherRequest = Readonly<{
  nodeUsage?: ReadonlyMap<string, number>;
  podUsage?: Promise<UsageReading<ReadonlyMap<string, number>>>;
  recentWorkloadEvictions?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}>;

type NsOwners = { replicaSets: Map<string, ReplicaSetInfo>; statefulSets: Map<string, number> };

/** Gathers live facts with caches; one instance per process. */
export class FactsGatherer {
  readonly #o: GatherOptions;
  readonly #nodes: TtlCache<string, NodeList>;
  readonly #pdbs: TtlCache<string, PdbFacts[]>;
  readonly #sums: TtlCache<string, RequestSums>;
  readonly #pods: TtlCache<string, KubeObject[]>;
  readonly #owners: TtlCache<string, NsOwners>;

  constructor(options: GatherOptions) {
    this.#o = options;
    const nowMs = options.nowMs ?? (() => performance.now());
    const node = { ttlSeconds: options.nodeCacheSeconds, nowMs };
    const pod = { ttlSeconds: options.podCacheSeconds, nowMs };
    this.#nodes = new TtlCache({ ...node, max: 1 });
    this.#pdbs = new TtlCache({ ...node, max: 1 });
    this.#sums = new TtlCache({ ...pod, max: 1 });
    this.#pods = new TtlCache({ ...pod, max: 256 });
    this.#owners = new TtlCache({ ...pod, max: 1024 });
  }

  /**
   * Forgets what acting on `node` changed: its pods are read again by the next evaluation; the PDB
   * budgets and the request sums (evicted pods land who knows where yet) are re-read now, in the
   * background, so those lists run while headroom is idle after a round rather than beside the
   * next node's decision. Until they land, the PDBs are waited for and the sums served stale.
   */
  invalidate(node: string): void {
    this.#pods.delete(node);
    this.#pdbs.markStale();
    this.#sums.markStale();
    this.#pdbList().catch(() => undefined);
    this.#requestSums().catch(() => undefined);
  }

  /** Loads the node list and the request sums, so the first alert does not wait for them. */
  async warm(signal?: AbortSignal): Promise<void> {
    await Promise.all([this.nodeList(signal), this.#requestSums(signal)]);
  }

  /** Every node (cached `cache.node_cache_ttl`), e.g. to turn usage bytes into percent. */
  nodeList(signal?: AbortSignal): Promise<{ ok: true; value: NodeList } | ({ ok: false } & GatherFailure)> {
    return this.#nodes.fetch<GatherFailure>('all', async () => {
      const r = await readNodes(this.#o.api, signal);
      if (r.ok) return r;
      return 'failure' in r ? kubeFailure('list nodes', r.failure) : { ok: false, error: 'invalid-object', message: r.message };
    });
  }

  /** The facts of `node` now. */
  async gather(node: string, request: GatherRequest = {}): Promise<GatherResult> {
    const signal = request.signal;
    const [nodes, pods, pdbs, sums, nodeUsage, podUsage] = await Promise.all([
      this.nodeList(signal),
      this.#nodePods(node, signal),
      this.#pdbList(signal),
      this.#requestSums(signal),
      request.nodeUsage ? Promise.resolve({ ok: true as const, value: request.nodeUsage }) : this.#o.usage.nodeUsage(signal),
      request.podUsage ?? this.#o.usage.podUsage(node, signal),
    ]);
    if (!nodes.ok) return nodes;
    if (!pods.ok) return pods;
    if (!pdbs.ok) return pdbs;
    if (!sums.ok) return sums;
    const target = nodes.value.nodes.find((n) => n.name === node);
    if (target === undefined) return { ok: false, error: 'unknown-node', message: `node "${node}" is not in the cluster` };
    if (!nodeUsage.ok) return { ok: false, error: 'usage', message: `node usage: ${nodeUsage.failure.message}`, failure: nodeUsage.failure };
    if (!podUsage.ok) return { ok: false, error: 'usage', message: `pod usage on ${node}: ${podUsage.failure.message}`, failure: podUsage.failure };
    const used = nodeUsage.value.get(node);
    if (used === undefined) return { ok: false, error: 'usage', message: `no usage sample for node ${node}`, failure: { kind: 'missing', message: `no usage sample for node ${node}` } };
    const owners = await this.#ownersOf(pods.value, signal);
    if (!owners.ok) return owners;
    const built = assemble({ node: target, used, pods: pods.value, podUsage: podUsage.value, owners: owners.value, nodes: nodes.value.nodes, nodeUsage: nodeUsage.value, sums: sums.value, pdbs: pdbs.value, recent: request.recentWorkloadEvictions ?? {} });
    if (!built.ok) return built;
    const uids = new Map<string, string>();
    for (const p of pods.value) {
      const m = p['metadata'] as { uid?: unknown } | undefined;
      if (typeof m?.uid === 'string') uids.set(`${namespaceOf(p)}/${nameOf(p)}`, m.uid);
    }
    const nodeUid = nodes.value.uids.get(node);
    if (nodeUid !== undefined) uids.set(node, nodeUid);
    return { ok: true, facts: built.facts, uids };
  }

  /**
   * Starts reading the pods of `node` (unless cached) so a `gather` that follows finds them: an
   * evaluation lists them while it reads usage, since most evaluations go on to need them. When
   * they do not, the list (one node's pods, from the watch cache) stays cached for the next one.
   */
  prefetchPods(node: string, signal?: AbortSignal): void {
    this.#nodePods(node, signal).catch(() => undefined);
  }

  #nodePods(node: string, signal?: AbortSignal): Promise<{ ok: true; value: KubeObject[] } | ({ ok: false } & GatherFailure)> {
    return this.#cached(this.#pods, node, `list pods on ${node}`, () => this.#o.api.listPods({ fieldSelector: `spec.nodeName=${node}`, fromWatchCache: true }, signal), (items) => ({ ok: true, value: items }));
  }

  #pdbList(signal?: AbortSignal): Promise<{ ok: true; value: PdbFacts[] } | ({ ok: false } & GatherFailure)> {
    return this.#cached(this.#pdbs, 'all', 'list poddisruptionbudgets', () => this.#o.api.listPdbs(signal), (items) => readAll(items, 'poddisruptionbudgets', readPdb));
  }

  /** Served up to twice its TTL old while a refresh runs: a fold of 50,000 pods takes seconds. */
  #requestSums(signal?: AbortSignal): Promise<{ ok: true; value: RequestSums } | ({ ok: false } & GatherFailure)> {
    const load = async (): Promise<{ ok: true; value: RequestSums } | ({ ok: false } & GatherFailure)> => {
      const r = await sumRequestsByNode(this.#o.api, signal);
      return r.ok ? r : kubeFailure('list pods of all namespaces', r.failure);
    };
    return this.#sums.fetch('all', load, 2 * this.#o.podCacheSeconds);
  }

  /** ReplicaSets and StatefulSets of the namespaces whose pods they own, one list per namespace. */
  async #ownersOf(pods: readonly KubeObject[], signal?: AbortSignal): Promise<{ ok: true; value: Owners } | ({ ok: false } & GatherFailure)> {
    const namespaces = new Set<string>();
    for (const p of pods) if (ownerKind(p) !== null) namespaces.add(namespaceOf(p));
    const replicaSets = new Map<string, ReplicaSetInfo>();
    const statefulSets = new Map<string, number>();
    const results = await Promise.all([...namespaces].map((ns) => this.#namespaceOwners(ns, signal)));
    for (const r of results) {
      if (!r.ok) return r;
      for (const [k, v] of r.value.replicaSets) replicaSets.set(k, v);
      for (const [k, v] of r.value.statefulSets) statefulSets.set(k, v);
    }
    return { ok: true, value: { replicaSets, statefulSets } };
  }

  #namespaceOwners(ns: string, signal?: AbortSignal): Promise<{ ok: true; value: NsOwners } | ({ ok: false } & GatherFailure)> {
    return this.#owners.fetch(ns, () => this.#loadOwners(ns, signal));
  }

  async #loadOwners(ns: string, signal?: AbortSignal): Promise<{ ok: true; value: NsOwners } | ({ ok: false } & GatherFailure)> {
    const [rs, ss] = await Promise.all([this.#o.api.listReplicaSets(ns, signal), this.#o.api.listStatefulSets(ns, signal)]);
    if (!rs.ok) return kubeFailure(`list replicasets in ${ns}`, rs.failure);
    if (!ss.ok) return kubeFailure(`list statefulsets in ${ns}`, ss.failure);
    const rsRead = readAll(rs.value, `replicasets(${ns})`, readReplicaSet);
    const ssRead = readAll(ss.value, `statefulsets(${ns})`, readStatefulSet);
    if (!rsRead.ok) return { ok: false, error: 'invalid-object', message: rsRead.message };
    if (!ssRead.ok) return { ok: false, error: 'invalid-object', message: ssRead.message };
    return { ok: true, value: { replicaSets: new Map(rsRead.value), statefulSets: new Map(ssRead.value) } };
  }

  #cached<V>(
    cache: TtlCache<string, V>,
    key: string,
    what: string,
    load: () => Promise<{ ok: true; value: KubeObject[] } | { ok: false; failure: KubeFailure }>,
    read: (items: KubeObject[]) => { ok: true; value: V } | { ok: false; message: string },
  ): Promise<{ ok: true; value: V } | ({ ok: false } & GatherFailure)> {
    return cache.fetch<GatherFailure>(key, async () => {
      const r = await load();
      if (!r.ok) return kubeFailure(what, r.failure);
      const parsed = read(r.value);
      return parsed.ok ? parsed : { ok: false, error: 'invalid-object', message: parsed.message };
    });
  }
}

function kubeFailure(what: string, failure: KubeFailure): { ok: false } & GatherFailure {
  return { ok: false, error: 'kube', message: `${what}: ${failure.status ?? failure.kind} ${failure.message}`, failure };
}
