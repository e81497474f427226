/**
 * `createKubeApi`: the `KubeApi` headroom uses, over client-node 2.x. Every call goes through
 * the caller (rate limit, timeout, shared pool, typed failures); reads and evictions retry
 * retryable answers with jittered back-off; event writes are best effort and never retried.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppsV1Api, AuthorizationV1Api, CoreV1Api, PolicyV1Api, type KubeConfig } from '@kubernetes/client-node';
import { createCaller, type CallerOptions } from './caller.ts';
import { foldPages, listAll, type PageFetch } from './lists.ts';
import { realTiming, type Timing } from './rate-limit.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import type { AccessQuestion, ConfigMapState, EventSpec, EvictionOutcome, KubeApi, KubeObject, KubeResult, ListOptions, PodRef } from './types.ts';

/** Options of the client; everything has a production default. */
export type KubeApiOptions = CallerOptions & Readonly<{ retry?: RetryPolicy; now?: () => Date; timing?: Timing; chunk?: number }>;

/** Builds the API for a loaded KubeConfig (see `loadKubeConfig`). */
export function createKubeApi(kc: KubeConfig, options: KubeApiOptions = {}): KubeApi {
  const timing = options.timing ?? realTiming;
  const call = createCaller({ ...options, timing });
  const retry = options.retry ?? DEFAULT_RETRY;
  const now = options.now ?? (() => new Date());
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const policy = kc.makeApiClient(PolicyV1Api);
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const reporter = `headroom/${hostname()}`.slice(0, 128);

  const read = async <T>(fn: () => Promise<KubeResult<T>>, signal?: AbortSignal): Promise<KubeResult<T>> => (await withRetry(fn, retry, timing, signal)).result;
  const list = (fetchPage: PageFetch, signal?: AbortSignal): Promise<KubeResult<KubeObject[]>> => read(() => listAll(call, fetchPage, signal, options.chunk), signal);
  const podPage = (o: ListOptions): PageFetch => (page, co) => {
    const query = { ...page, fieldSelector: o.fieldSelector, labelSelector: o.labelSelector, ...(o.fromWatchCache === true ? { resourceVersion: '0' } : {}) };
    return o.namespace === undefined ? core.listPodForAllNamespaces(query, co) : core.listNamespacedPod({ ...query, namespace: o.namespace }, co);
  };

  return {
    foldNodes: (onPage, signal) => foldPages(call, (page, co) => core.listNode(page, co), onPage, signal, options.chunk),
    listPods: (o, signal) => list(podPage(o), signal),
    foldPods: (o, onPage, signal) => foldPages(call, podPage(o), onPage, signal, options.chunk),
    listPdbs: (signal) => list((page, co) => policy.listPodDisruptionBudgetForAllNamespaces(page, co), signal),
    listReplicaSets: (namespace, signal) => list((page, co) => apps.listNamespacedReplicaSet({ ...page, namespace }, co), signal),
    listStatefulSets: (namespace, signal) => list((page, co) => apps.listNamespacedStatefulSet({ ...page, namespace }, co), signal),

    async evict(pod: PodRef, o: { dryRun: boolean }, signal?: AbortSignal): Promise<EvictionOutcome> {
      const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace }, ...(o.dryRun ? { deleteOptions: { dryRun: ['All'] } } : {}) };
      const { result, attempts } = await withRetry(
        () => call((co) => core.createNamespacedPodEviction({ name: pod.name, namespace: pod.namespace, body, ...(o.dryRun ? { dryRun: 'All' } : {}) }, co), signal),
        retry,
        timing,
        signal,
      );
      if (result.ok) return { result: 'evicted', dryRun: o.dryRun, attempts };
      const f = result.failure;
      switch (f.kind) {
        case 'pdb-refused':
        case 'several-pdbs':
        case 'gone':
        case 'forbidden':
          return { result: f.kind, message: f.message, attempts };
        case 'unauthorized':
          // Credentials refused: as final as a 403 for every pod that follows.
          return { result: 'forbidden', message: `unauthorized: ${f.message}`, attempts };
        default:
          return { result: f.retryable ? 'retryable' : 'failed', status: f.status, message: `${f.kind}: ${f.message}`, attempts };
      }
    },

    async createEvent(e: EventSpec, signal?: AbortSignal): Promise<KubeResult<void>> {
      const namespace = e.involved.namespace ?? 'default';
      const at = now();
      const body = {
        metadata: { name: `${e.involved.name}.${at.getTime().toString(16)}${randomBytes(3).toString('hex')}`.slice(-253).replace(/^[.-]+/, ''), namespace },
        involvedObject: { apiVersion: 'v1', kind: e.involved.kind, name: e.involved.name, namespace: e.involved.namespace, uid: e.involved.uid },
        reason: e.reason,
        message: e.message.slice(0, 1024),
        type: e.type,
        action: e.action,
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
        source: { component: 'headroom' },
        reportingComponent: 'headroom.dev/headroom',
        reportingInstance: reporter,
      };
      const r = await call((co) => core.createNamespacedEvent({ namespace, body }, co), signal);
      return r.ok ? { ok: true, value: undefined } : r;
    },

    async readConfigMap(namespace: string, name: string, signal?: AbortSignal): Promise<KubeResult<ConfigMapState | null>> {
      const r = await read(() => call((co) => core.readNamespacedConfigMap({ name, namespace }, co), signal), signal);
      if (!r.ok) return r.failure.kind === 'gone' ? { ok: true, value: null } : r;
      return { ok: true, value: { data: { ...(r.value.data ?? {}) }, resourceVersion: r.value.metadata?.resourceVersion ?? '' } };
    },

    async writeConfigMap(namespace, name, data, resourceVersion, signal): Promise<KubeResult<ConfigMapState>> {
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(resourceVersion === null ? {} : { resourceVersion }), labels: { 'app.kubernetes.io/name': 'headroom' } }, data: { ...data } };
      // A write is not retried here: after a lost answer the store re-reads and decides again.
      const r = await call((co) => (resourceVersion === null ? core.createNamespacedConfigMap({ namespace, body }, co) : core.replaceNamespacedConfigMap({ name, namespace, body }, co)), signal);
      if (!r.ok) return r;
      return { ok: true, value: { data: { ...(r.value.data ?? {}) }, resourceVersion: r.value.metadata?.resourceVersion ?? '' } };
    },

    async canI(q: AccessQuestion, signal?: AbortSignal) {
      const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { ...q } } };
      const r = await read(() => call((co) => authz.createSelfSubjectAccessReview({ body }, co), signal), signal);
      if (!r.ok) return r;
      const s = r.value.status;
      return { ok: true, value: { allowed: s?.allowed === true, reason: s?.reason ?? s?.evaluationError ?? '' } };
    },
  };
}
