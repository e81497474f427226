/**
 * Protection (S3): every reason a pod may not be evicted, not just the first, so an operator sees
 * all that stands in the way. This file holds the rules that depend on the pod alone; the two
 * that depend on the plan being built (`workload-cooldown` within the round, `no-room`) are added
 * by selection.
 */
import type { Facts, PdbFacts, PodFacts } from '../facts/types.ts';
import { matchesLabelSelector } from './match.ts';
import type { Policy } from './policy.ts';
import { REASON_CODES, type ReasonCode } from './types.ts';

/** Annotations by which a pod opts out of eviction: headroom's own and the ecosystem's. */
export const OPT_OUT_ANNOTATIONS: Readonly<Record<string, string>> = {
  'headroom.dev/evict': 'never',
  'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
  'karpenter.sh/do-not-disrupt': 'true',
};

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const CRITICAL_CLASSES: ReadonlySet<string> = new Set(['system-node-critical', 'system-cluster-critical']);
/** `SystemCriticalPriority`: Kubernetes treats pods at or above it as critical whatever their class. */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/** A protector prepared once per plan: config parsed, PDBs indexed by namespace. */
export type Protector = (pod: PodFacts) => ReasonCode[];

/** Prepares the pod-level rules for one plan; the result is pure and reusable for every pod. */
export function protector(facts: Facts, policy: Policy, now: Date): Protector {
  const namespaces = new Set(policy.protectedNamespaces);
  const labels = policy.protectedLabels.map(parseLabelEntry);
  const pdbs = new Map<string, PdbFacts[]>();
  for (const pdb of facts.pdbs) pdbs.set(pdb.namespace, [...(pdbs.get(pdb.namespace) ?? []), pdb]);
  const cooldownMs = policy.workloadCooldownSeconds * 1000;
  return (pod) => {
    const reasons: ReasonCode[] = [];
    if (namespaces.has(pod.namespace)) reasons.push('protected-namespace');
    if (labels.some(({ key, value }) => Object.hasOwn(pod.labels, key) && (value === null || pod.labels[key] === value))) reasons.push('protected-label');
    if (policy.protectedPrefixes.some((prefix) => pod.name.startsWith(prefix))) reasons.push('protected-prefix');
    if (Object.entries(OPT_OUT_ANNOTATIONS).some(([k, v]) => Object.hasOwn(pod.annotations, k) && pod.annotations[k] === v)) reasons.push('opted-out');
    if (Object.hasOwn(pod.annotations, MIRROR_ANNOTATION)) reasons.push('mirror-pod');
    if (pod.owner?.kind === 'DaemonSet') reasons.push('daemonset');
    if (pod.owner === null) reasons.push('no-controller');
    if ((pod.priorityClassName !== null && CRITICAL_CLASSES.has(pod.priorityClassName)) || (pod.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY) {
      reasons.push('critical-priority');
    }
    if (policy.respectPdb && blockedByPdb(pod, pdbs.get(pod.namespace) ?? [])) reasons.push('pdb');
    if (inWorkloadCooldown(pod, facts.recentWorkloadEvictions, cooldownMs, now)) reasons.push('workload-cooldown');
    return reasons;
  };
}

/**
 * A matching PDB allows no disruption. Like the Eviction API, only Running pods are held: a
 * Pending pod is not counted healthy by its budget, and the API server evicts it regardless.
 */
function blockedByPdb(pod: PodFacts, pdbs: readonly PdbFacts[]): boolean {
  return pod.phase === 'Running' && pdbs.some((pdb) => pdb.disruptionsAllowed < 1 && matchesLabelSelector(pdb.selector, pod.labels));
}

/** Evicted less than the cooldown ago (a time in the future counts as just now). */
function inWorkloadCooldown(pod: PodFacts, recent: Readonly<Record<string, string>>, cooldownMs: number, now: Date): boolean {
  if (pod.workload === null || !Object.hasOwn(recent, pod.workload)) return false;
  const at = Date.parse(recent[pod.workload] ?? '');
  return !Number.isNaN(at) && now.getTime() - at < cooldownMs;
}

function parseLabelEntry(entry: string): { key: string; value: string | null } {
  const eq = entry.indexOf('=');
  return eq < 0 ? { key: entry, value: null } : { key: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

/** Reasons in the contract's order, each once. */
export function orderReasons(reasons: Iterable<ReasonCode>): ReasonCode[] {
  const set = new Set(reasons);
  return REASON_CODES.filter((r) => set.has(r));
}
