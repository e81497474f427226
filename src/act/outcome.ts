/**
 * What acting on a node produced, as values: one `PodOutcome` per eviction request and why the
 * round stopped. Shared by the executor, the live evaluator, `headroom once` and the tests.
 */

/** Results of one pod, as counted in `headroom_evictions_total{result}`. */
export type PodResult = 'evicted' | 'pdb-refused' | 'several-pdbs' | 'gone' | 'forbidden' | 'failed';

/** One eviction request and how it ended. */
export type PodOutcome = Readonly<{
  namespace: string;
  name: string;
  workload: string | null;
  result: PodResult;
  /** True in dry-run mode: `evicted` then means "the API server would have evicted it". */
  dryRun: boolean;
  /** Attempts made (retryable errors are retried). */
  attempts: number;
  /** Why it did not succeed; '' for `evicted`. */
  message: string;
  /** Working-set bytes the pod used (what its eviction frees). */
  memoryBytes: number;
}>;

/**
 * Why a round ended: `target-reached` (projected usage at or under the target), `round-full`
 * (`max_pods_per_round`), `budget` (the hourly cluster budget), `candidates-exhausted`,
 * `under-threshold` (the node recovered before acting), `usage-unavailable`, `api-unavailable`
 * (retries spent), `forbidden` (RBAC), `aborted`.
 */
export type StopReason =
  | 'target-reached'
  | 'round-full'
  | 'budget'
  | 'candidates-exhausted'
  | 'under-threshold'
  | 'usage-unavailable'
  | 'api-unavailable'
  | 'forbidden'
  | 'aborted';

/** The whole round. */
export type RoundReport = Readonly<{
  node: string;
  mode: 'dry-run' | 'enforce';
  outcomes: readonly PodOutcome[];
  stopped: StopReason;
  /** Human-readable detail of `stopped`. */
  message: string;
}>;

/** Pods the round evicted (or, in dry-run, would have). */
export function succeeded(report: RoundReport): PodOutcome[] {
  return report.outcomes.filter((o) => o.result === 'evicted');
}

/** `2 pdb-refused, 1 gone`: a round's failures in one phrase. */
export function tally(outcomes: readonly PodOutcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.result, (counts.get(o.result) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).join(', ');
}

/** Bytes as GiB/MiB for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}
