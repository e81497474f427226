/**
 * `Facts`: everything the planner may know about one node and the cluster around it, as one plain,
 * immutable value. Two sources fill it (a `kubectl get -o json` List, and the live cluster), and
 * the planner reads nothing else, so a plan can always be explained from its facts alone.
 *
 * Sizes are bytes (integers), times are ISO-8601 strings as Kubernetes prints them.
 */

/** Label or annotation map, as in `metadata.labels`. */
export type StringMap = Readonly<Record<string, string>>;

/** A QoS class as Kubernetes names it. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** A node taint (`spec.taints[]`); `value` is '' when absent. */
export type Taint = Readonly<{ key: string; value: string; effect: string }>;

/** A pod toleration; an empty `operator` is stored as `Equal`, as Kubernetes defaults it. */
export type Toleration = Readonly<{ key: string; operator: string; value: string; effect: string }>;

/** Operators of a node selector requirement (node affinity). */
export type NodeSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** One requirement of a node selector term. */
export type NodeSelectorRequirement = Readonly<{ key: string; operator: NodeSelectorOperator; values: readonly string[] }>;

/**
 * One term of required node affinity: its expressions (on labels) and fields (only
 * `metadata.name` exists) are ANDed; an empty term matches no node, as in Kubernetes.
 */
export type NodeSelectorTerm = Readonly<{
  matchExpressions: readonly NodeSelectorRequirement[];
  matchFields: readonly NodeSelectorRequirement[];
}>;

/** Operators of a label selector requirement (PodDisruptionBudget selectors). */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** A label selector; an empty one (no labels, no expressions) selects everything. */
export type LabelSelector = Readonly<{
  matchLabels: StringMap;
  matchExpressions: ReadonlyArray<Readonly<{ key: string; operator: LabelSelectorOperator; values: readonly string[] }>>;
}>;

/** The direct controller of a pod (`ownerReferences[]` entry with `controller: true`). */
export type OwnerRef = Readonly<{ kind: string; name: string }>;

/** A node: the target node, or one that might take its evicted pods. */
export type NodeFacts = Readonly<{
  name: string;
  /** `status.capacity.memory`; 0 when unknown. Usage percentages are against this. */
  capacityBytes: number;
  /** `status.allocatable.memory`, else capacity. Requests must fit in this. */
  allocatableBytes: number;
  /** Effective memory requests of the node's non-terminal pods, summed as the scheduler does. */
  requestedBytes: number;
  /** Working-set memory in use (metrics, else the sum of its pods' usage). */
  usedBytes: number;
  /** Condition `Ready` is `True`. */
  ready: boolean;
  /** `spec.unschedulable` (cordoned). */
  unschedulable: boolean;
  labels: StringMap;
  taints: readonly Taint[];
}>;

/** A pod bound to the target node. */
export type PodFacts = Readonly<{
  namespace: string;
  name: string;
  labels: StringMap;
  annotations: StringMap;
  /** `status.phase` (Pending when absent, the API default). */
  phase: string;
  /** `metadata.deletionTimestamp` is set: the pod is already going. */
  terminating: boolean;
  nodeName: string;
  /** `status.qosClass`, else computed from the containers as Kubernetes does. */
  qosClass: QosClass;
  priorityClassName: string | null;
  /** `spec.priority`, when the admission controller filled it. */
  priority: number | null;
  owner: OwnerRef | null;
  /** Key of the top-level workload (see `workloadKey`), null without a controller. */
  workload: string | null;
  /** `spec.replicas` of the owning ReplicaSet or StatefulSet; null when unknown. */
  replicas: number | null;
  startTime: string | null;
  creationTimestamp: string | null;
  usageBytes: number;
  /** Effective memory request as the scheduler computes it (init containers, sidecars, overhead). */
  requestBytes: number;
  tolerations: readonly Toleration[];
  nodeSelector: StringMap;
  /** Required node affinity terms (ORed); null when the pod has none. */
  requiredNodeAffinity: readonly NodeSelectorTerm[] | null;
}>;

/** A PodDisruptionBudget, reduced to what protection needs. */
export type PdbFacts = Readonly<{
  namespace: string;
  name: string;
  /** null selects no pod (a missing selector, or an empty one in policy/v1beta1). */
  selector: LabelSelector | null;
  /** `status.disruptionsAllowed`; 0 when the status is missing (the API server refuses then too). */
  disruptionsAllowed: number;
}>;

/** Everything `plan` needs to decide for one node. */
export type Facts = Readonly<{
  node: NodeFacts;
  /** Pods whose `spec.nodeName` is the node, in any phase; the planner applies its own filter. */
  pods: readonly PodFacts[];
  pdbs: readonly PdbFacts[];
  /** Every other node of the cluster, in no particular order. */
  otherNodes: readonly NodeFacts[];
  /** Workload key -> ISO time of its latest eviction by headroom (empty for snapshots). */
  recentWorkloadEvictions: Readonly<Record<string, string>>;
}>;
