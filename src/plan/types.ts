/**
 * The planner's output, shaped exactly like the `/simulate` response of the contract so the route
 * serialises it as is (after `roundPlanForOutput`). Numbers carry full precision here: ordering and
 * thresholds are decided on them, rounding is for humans only.
 */

/** Why a pod may not be evicted; the exact strings of the contract, in its order. */
export const REASON_CODES = [
  'protected-namespace',
  'protected-label',
  'protected-prefix',
  'opted-out',
  'mirror-pod',
  'daemonset',
  'no-controller',
  'critical-priority',
  'pdb',
  'workload-cooldown',
  'no-room',
] as const;

/** One of {@link REASON_CODES}. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** The four S2.1 dimensions, each 0-100. */
export type Scores = { qos: number; memory: number; age: number; replicas: number };

/** An eligible pod: its score, its size and the nodes that could take it (roomiest first). */
export type PlannedPod = {
  namespace: string;
  name: string;
  score: number;
  scores: Scores;
  /** Working-set usage, the memory its eviction frees on the node. */
  memoryBytes: number;
  /** Effective memory request, what it needs on a target. */
  requestBytes: number;
  targets: string[];
};

/** A pod that may not be evicted, with every reason that applies. */
export type ProtectedPod = { namespace: string; name: string; reasons: ReasonCode[] };

/** Memory of the node, in bytes and percent (0-100) of its capacity. */
export type PlanMemory = { totalBytes: number; usedBytes: number; usage: number; target: number; projectedUsage: number };

/** The decision for one node. `evictions` is the chosen prefix of `candidates`. */
export type Plan = {
  node: string;
  memory: PlanMemory;
  evictions: PlannedPod[];
  candidates: PlannedPod[];
  protected: ProtectedPod[];
  /** Projected usage is at or under the target. */
  reachedTarget: boolean;
};
