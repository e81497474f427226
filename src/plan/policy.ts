/**
 * `Policy`: the slice of the config the planner reads, in the planner's own words. Keeping the
 * planner off the config shape lets tests state a policy in one line and keeps `plan` free of
 * config parsing.
 */
import type { Config } from '../config/load.ts';
import { BUILTIN_PROTECTED_NAMESPACES } from '../config/schema.ts';
import type { Scores } from './types.ts';

/** Everything the planner is told, as opposed to what it learns from `Facts`. */
export type Policy = Readonly<{
  /** Percent: choose pods until the node is projected at or under it. */
  targetUsage: number;
  maxPodsPerRound: number;
  /** A pod needs at least this many nodes that can take it (S2.2). */
  minTargetNodes: number;
  /** Percent of a target's capacity its usage may reach with the pod on it. */
  targetNodeMaxUsage: number;
  workloadCooldownSeconds: number;
  weights: Readonly<Scores>;
  protectedNamespaces: readonly string[];
  /** `key=value` or `key` entries. */
  protectedLabels: readonly string[];
  protectedPrefixes: readonly string[];
  excludedNodes: readonly string[];
  respectPdb: boolean;
  /** How many target names a pod lists at most (the roomiest); never fewer than `minTargetNodes`. */
  listedTargets: number;
}>;

/**
 * Targets listed per pod. A pod on a 5,000-node cluster fits thousands of nodes; the roomiest ten
 * show where it would go and that it can go, without a megabyte of names per plan.
 */
export const LISTED_TARGETS = 10;

/** The policy of a resolved config; the built-in protected namespaces are always included. */
export function policyFromConfig(config: Config): Policy {
  const e = config.eviction;
  const p = config.protection;
  return {
    targetUsage: config.thresholds.target_memory_usage,
    maxPodsPerRound: e.max_pods_per_round,
    minTargetNodes: e.min_target_nodes,
    targetNodeMaxUsage: e.target_node_max_usage,
    workloadCooldownSeconds: e.workload_cooldown,
    weights: { ...config.scoring.weights },
    protectedNamespaces: [...new Set([...BUILTIN_PROTECTED_NAMESPACES, ...p.namespaces])],
    protectedLabels: [...p.pod_labels],
    protectedPrefixes: [...p.pod_prefixes],
    excludedNodes: [...p.excluded_nodes],
    respectPdb: p.respect_pdb,
    listedTargets: Math.max(LISTED_TARGETS, e.min_target_nodes),
  };
}
