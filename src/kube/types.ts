/**
 * The Kubernetes side of headroom as plain types: what the rest of the code may ask of the API
 * server and the values it gets back. No client-node type leaks out of `kube/`, so facts, act and
 * the tests can use a fake `KubeApi` and the library can change under one folder.
 */

/** A Kubernetes object in its JSON shape (times as RFC 3339 strings), as the facts readers expect. */
export type KubeObject = Readonly<Record<string, unknown>>;

/** Why a call failed, as a value. `retryable` failures were already retried by the client. */
export type KubeFailure = Readonly<{
  kind:
    | 'gone'
    | 'forbidden'
    | 'unauthorized'
    | 'conflict'
    | 'expired'
    | 'invalid'
    | 'pdb-refused'
    | 'several-pdbs'
    | 'too-many-requests'
    | 'server'
    | 'timeout'
    | 'network'
    | 'aborted';
  /** HTTP status, null for network errors, timeouts and aborts. */
  status: number | null;
  /** `Status.reason` (e.g. `NotFound`), or the network error code. */
  reason: string;
  message: string;
  retryable: boolean;
  retryAfterSeconds: number | null;
}>;

/** A call's answer or its failure. */
export type KubeResult<T> = { ok: true; value: T } | { ok: false; failure: KubeFailure };

/** A pod to act on. */
export type PodRef = Readonly<{ namespace: string; name: string }>;

/**
 * What one eviction request ended as (contract, "Acting"). `evicted` is 201 (in dry-run: the API
 * server would have evicted it); `forbidden` is 403 (or 401: credentials refused); `retryable`
 * means the retries were exhausted; `failed` is any other final answer.
 */
export type EvictionOutcome =
  | Readonly<{ result: 'evicted'; dryRun: boolean; attempts: number }>
  | Readonly<{ result: 'pdb-refused' | 'several-pdbs' | 'gone' | 'forbidden'; message: string; attempts: number }>
  | Readonly<{ result: 'retryable' | 'failed'; status: number | null; message: string; attempts: number }>;

/** The object a Kubernetes Event is about. */
export type InvolvedObject = Readonly<{ kind: 'Pod' | 'Node'; name: string; namespace?: string; uid?: string }>;

/** A Kubernetes Event to record (core/v1). */
export type EventSpec = Readonly<{
  involved: InvolvedObject;
  reason: 'HeadroomEviction' | 'HeadroomSkipped';
  type: 'Normal' | 'Warning';
  /** Human-readable; cut to 1 KiB. */
  message: string;
  /** Short verb of what was done (`Evict`, `DryRunEvict`, `Skip`), the events.k8s.io `action`. */
  action: string;
}>;

/** A ConfigMap's data and the resourceVersion to write it back with. */
export type ConfigMapState = Readonly<{ data: Readonly<Record<string, string>>; resourceVersion: string }>;

/** One `SelfSubjectAccessReview` question (`kubectl auth can-i`). */
export type AccessQuestion = Readonly<{
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}>;

/** Options of a list call. */
export type ListOptions = Readonly<{
  fieldSelector?: string;
  labelSelector?: string;
  namespace?: string;
  /**
   * Served from the API server's watch cache as it is (`resourceVersion=0`): milliseconds behind
   * etcd, and no round to etcd for the current revision first. For reads headroom caches for
   * minutes anyway (S4.3), where that lag is nothing.
   */
  fromWatchCache?: boolean;
}>;

/** Everything headroom asks of the API server. Implementations never throw for API answers. */
export interface KubeApi {
  /**
   * Every node, one page at a time (a 5,000-node list is ~45 MB of JSON: nobody should hold it
   * whole). `expired` means the list must be restarted from scratch.
   */
  foldNodes(onPage: (items: readonly KubeObject[]) => void, signal?: AbortSignal): Promise<KubeResult<{ items: number; pages: number }>>;
  /** All pods matching `options` (all namespaces unless `namespace`), paginated, kept. */
  listPods(options: ListOptions, signal?: AbortSignal): Promise<KubeResult<KubeObject[]>>;
  /**
   * Pods matching `options`, one page (at most the chunk size) at a time, so a caller can fold a
   * large cluster without holding it. `expired` means the list must be restarted from scratch.
   */
  foldPods(options: ListOptions, onPage: (items: readonly KubeObject[]) => void, signal?: AbortSignal): Promise<KubeResult<{ items: number; pages: number }>>;
  /** PodDisruptionBudgets of all namespaces (policy/v1). */
  listPdbs(signal?: AbortSignal): Promise<KubeResult<KubeObject[]>>;
  listReplicaSets(namespace: string, signal?: AbortSignal): Promise<KubeResult<KubeObject[]>>;
  listStatefulSets(namespace: string, signal?: AbortSignal): Promise<KubeResult<KubeObject[]>>;
  /** policy/v1 Eviction of one pod; `dryRun` sends `dryRun: ["All"]`. Retries retryable answers. */
  evict(pod: PodRef, options: { dryRun: boolean }, signal?: AbortSignal): Promise<EvictionOutcome>;
  /** Records an Event; best effort, one attempt. */
  createEvent(event: EventSpec, signal?: AbortSignal): Promise<KubeResult<void>>;
  /** A ConfigMap's data, or null when it does not exist. */
  readConfigMap(namespace: string, name: string, signal?: AbortSignal): Promise<KubeResult<ConfigMapState | null>>;
  /** Creates (`resourceVersion` null) or replaces the ConfigMap; a lost race is `conflict`. */
  writeConfigMap(namespace: string, name: string, data: Readonly<Record<string, string>>, resourceVersion: string | null, signal?: AbortSignal): Promise<KubeResult<ConfigMapState>>;
  /** Asks whether headroom's own identity may do something. */
  canI(question: AccessQuestion, signal?: AbortSignal): Promise<KubeResult<{ allowed: boolean; reason: string }>>;
}
