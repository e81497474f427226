/**
 * An in-memory `KubeApi` for unit tests: objects in JSON shape, ConfigMaps with resourceVersions
 * (and injectable conflicts), scripted eviction answers, and a record of every call. The real API
 * server is exercised by the integration tests; this one makes the rules fast to table-test.
 */
import type { AccessQuestion, ConfigMapState, EventSpec, EvictionOutcome, KubeApi, KubeFailure, KubeObject, KubeResult, ListOptions, PodRef } from '../../../src/kube/types.ts';

/** A failure value for scripted answers. */
export function failure(kind: KubeFailure['kind'], status: number | null = null, retryable = false): KubeFailure {
  return { kind, status, reason: '', message: `${kind} (fake)`, retryable, retryAfterSeconds: null };
}

/** The fake; public fields are the cluster, change them freely. */
export class FakeKubeApi implements KubeApi {
  nodes: KubeObject[] = [];
  pods: KubeObject[] = [];
  pdbs: KubeObject[] = [];
  replicaSets: KubeObject[] = [];
  statefulSets: KubeObject[] = [];
  configMaps = new Map<string, { data: Record<string, string>; rv: number }>();
  events: EventSpec[] = [];
  calls: string[] = [];
  /** Eviction answers by `namespace/name`; a list is consumed in order, the default is 201. */
  evictions = new Map<string, EvictionOutcome[]>();
  /** Pods evicted for real (enforce), in order. */
  evicted: string[] = [];
  /** Failures to answer the next calls of a method with. */
  failNext = new Map<string, KubeFailure[]>();
  /** Number of 409s to answer the next ConfigMap writes with (another writer won). */
  conflicts = 0;
  denied = new Set<string>();
  pageSize = 2;

  #fail<T>(method: string): KubeResult<T> | null {
    const queue = this.failNext.get(method);
    const f = queue?.shift();
    return f === undefined ? null : { ok: false, failure: f };
  }

  async foldNodes(onPage: (items: readonly KubeObject[]) => void): Promise<KubeResult<{ items: number; pages: number }>> {
    this.calls.push('foldNodes');
    const failed = this.#fail<{ items: number; pages: number }>('foldNodes');
    if (failed) return failed;
    onPage(structuredClone(this.nodes));
    return { ok: true, value: { items: this.nodes.length, pages: 1 } };
  }

  async listPods(o: ListOptions): Promise<KubeResult<KubeObject[]>> {
    this.calls.push(`listPods ${o.fieldSelector ?? ''}`);
    return this.#fail('listPods') ?? { ok: true, value: structuredClone(this.pods.filter((p) => matches(p, o))) };
  }

  async foldPods(o: ListOptions, onPage: (items: readonly KubeObject[]) => void): Promise<KubeResult<{ items: number; pages: number }>> {
    this.calls.push(`foldPods ${o.fieldSelector ?? ''}`);
    const failed = this.#fail<{ items: number; pages: number }>('foldPods');
    if (failed) return failed;
    const all = this.pods.filter((p) => matches(p, o));
    let pages = 0;
    for (let i = 0; i < all.length || pages === 0; i += this.pageSize) {
      onPage(structuredClone(all.slice(i, i + this.pageSize)));
      pages += 1;
    }
    return { ok: true, value: { items: all.length, pages } };
  }

  async listPdbs(): Promise<KubeResult<KubeObject[]>> {
    this.calls.push('listPdbs');
    return this.#fail('listPdbs') ?? { ok: true, value: structuredClone(this.pdbs) };
  }

  async listReplicaSets(namespace: string): Promise<KubeResult<KubeObject[]>> {
    this.calls.push(`listReplicaSets ${namespace}`);
    return this.#fail('listReplicaSets') ?? { ok: true, value: structuredClone(this.replicaSets.filter((r) => ns(r) === namespace)) };
  }

  async listStatefulSets(namespace: string): Promise<KubeResult<KubeObject[]>> {
    this.calls.push(`listStatefulSets ${namespace}`);
    return this.#fail('listStatefulSets') ?? { ok: true, value: structuredClone(this.statefulSets.filter((r) => ns(r) === namespace)) };
  }

  async evict(pod: PodRef, o: { dryRun: boolean }): Promise<EvictionOutcome> {
    const key = `${pod.namespace}/${pod.name}`;
    this.calls.push(`evict ${key}${o.dryRun ? ' dry-run' : ''}`);
    const scripted = this.evictions.get(key)?.shift();
    if (scripted !== undefined) return scripted;
    if (!this.pods.some((p) => `${ns(p)}/${name(p)}` === key)) return { result: 'gone', message: 'not found', attempts: 1 };
    if (!o.dryRun) {
      this.evicted.push(key);
      this.pods = this.pods.filter((p) => `${ns(p)}/${name(p)}` !== key);
    }
    return { result: 'evicted', dryRun: o.dryRun, attempts: 1 };
  }

  async createEvent(e: EventSpec): Promise<KubeResult<void>> {
    this.events.push(e);
    return this.#fail('createEvent') ?? { ok: true, value: undefined };
  }

  async readConfigMap(namespace: string, cmName: string): Promise<KubeResult<ConfigMapState | null>> {
    this.calls.push('readConfigMap');
    const failed = this.#fail<ConfigMapState | null>('readConfigMap');
    if (failed) return failed;
    const cm = this.configMaps.get(`${namespace}/${cmName}`);
    return { ok: true, value: cm === undefined ? null : { data: { ...cm.data }, resourceVersion: String(cm.rv) } };
  }

  async writeConfigMap(namespace: string, cmName: string, data: Readonly<Record<string, string>>, rv: string | null): Promise<KubeResult<ConfigMapState>> {
    this.calls.push('writeConfigMap');
    const failed = this.#fail<ConfigMapState>('writeConfigMap');
    if (failed) return failed;
    const key = `${namespace}/${cmName}`;
    const cur = this.configMaps.get(key);
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      // Another writer: bump the version so the reader must re-read.
      if (cur) cur.rv += 1;
      return { ok: false, failure: failure('conflict', 409) };
    }
    if ((rv === null) !== (cur === undefined) || (cur !== undefined && String(cur.rv) !== rv)) return { ok: false, failure: failure('conflict', 409) };
    const next = { data: { ...data }, rv: (cur?.rv ?? 0) + 1 };
    this.configMaps.set(key, next);
    return { ok: true, value: { data: { ...data }, resourceVersion: String(next.rv) } };
  }

  async canI(q: AccessQuestion): Promise<KubeResult<{ allowed: boolean; reason: string }>> {
    const key = `${q.verb} ${q.resource}${q.subresource ? `/${q.subresource}` : ''}`;
    return this.#fail('canI') ?? { ok: true, value: { allowed: !this.denied.has(key), reason: this.denied.has(key) ? 'no RBAC rule' : '' } };
  }
}

function ns(o: KubeObject): string {
  return ((o['metadata'] as { namespace?: string } | undefined)?.namespace ?? 'default') || 'default';
}

function name(o: KubeObject): string {
  return (o['metadata'] as { name?: string } | undefined)?.name ?? '';
}

function matches(pod: KubeObject, o: ListOptions): boolean {
  const spec = pod['spec'] as { nodeName?: string } | undefined;
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase ?? 'Pending';
  for (const term of (o.fieldSelector ?? '').split(',').filter(Boolean)) {
    const [k, op, v] = term.includes('!=') ? [term.split('!=')[0], '!=', term.split('!=')[1]] : [term.split('=')[0], '=', term.split('=')[1]];
    const actual = k === 'spec.nodeName' ? (spec?.nodeName ?? '') : k === 'status.phase' ? phase : '';
    if (op === '=' ? actual !== v : actual === v) return false;
  }
  return o.namespace === undefined || ns(pod) === o.namespace;
}
