/**
 * What the live facts need from the metrics side, as an interface the Prometheus client is adapted
 * to: current working-set memory of every node and of one node's pods. Staleness and outages are
 * values, because "no fresh data" must mean "no eviction" (contract, "Acting"), never a throw.
 */

/**
 * Why usage could not be read: `stale` (newest sample older than `prometheus.max_sample_age`),
 * `missing` (no sample for what was asked) or `unavailable` (Prometheus down, timeout, bad answer).
 */
export type UsageFailure = Readonly<{ kind: 'stale' | 'missing' | 'unavailable'; message: string }>;

/** A reading or why there is none. */
export type UsageReading<T> = { ok: true; value: T } | { ok: false; failure: UsageFailure };

/** Every node's bytes; `dropped` says why a node is absent (e.g. its sample is stale), when known. */
export type NodeUsageReading = { ok: true; value: ReadonlyMap<string, number>; dropped?: ReadonlyMap<string, UsageFailure> } | { ok: false; failure: UsageFailure };

/** Current working-set memory from the metrics pipeline (S1.1); never the alert's value. */
export interface UsageSource {
  /** Bytes in use per node name, every node in one query. */
  nodeUsage(signal?: AbortSignal): Promise<NodeUsageReading>;
  /** Bytes in use per pod (`namespace/name`) of `node`, in one query. */
  podUsage(node: string, signal?: AbortSignal): Promise<UsageReading<ReadonlyMap<string, number>>>;
}
