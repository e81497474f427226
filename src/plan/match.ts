/**
 * Kubernetes matching rules, as pure predicates: label selectors (PodDisruptionBudgets), taints
 * against tolerations, `nodeSelector` and required node affinity (placement). Each follows the
 * upstream semantics, so a plan agrees with what the API server and the scheduler would do.
 */
import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, StringMap, Taint, Toleration } from '../facts/types.ts';

const has = (labels: StringMap, key: string): boolean => Object.hasOwn(labels, key);

/** A label selector against labels; null selects nothing, an empty selector everything. */
export function matchesLabelSelector(selector: LabelSelector | null, labels: StringMap): boolean {
  if (selector === null) return false;
  for (const key of Object.keys(selector.matchLabels)) {
    if (!has(labels, key) || labels[key] !== selector.matchLabels[key]) return false;
  }
  return selector.matchExpressions.every((r) => {
    switch (r.operator) {
      case 'In':
        return has(labels, r.key) && r.values.includes(labels[r.key] ?? '');
      case 'NotIn':
        return !has(labels, r.key) || !r.values.includes(labels[r.key] ?? '');
      case 'Exists':
        return has(labels, r.key);
      case 'DoesNotExist':
        return !has(labels, r.key);
    }
  });
}

/** `ToleratesTaint`: effect and key must match unless empty; `Exists` ignores the value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return t.operator === 'Equal' && t.value === taint.value;
}

/** Every NoSchedule and NoExecute taint is tolerated (PreferNoSchedule never blocks). */
export function toleratesHardTaints(tolerations: readonly Toleration[], taints: readonly Taint[]): boolean {
  return taints.every((taint) => (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') || tolerations.some((t) => tolerates(t, taint)));
}

/** `spec.nodeSelector`: every pair equal on the node. */
export function matchesNodeSelector(nodeSelector: StringMap, labels: StringMap): boolean {
  for (const key of Object.keys(nodeSelector)) {
    if (!has(labels, key) || labels[key] !== nodeSelector[key]) return false;
  }
  return true;
}

/** Required node affinity: terms ORed, requirements of a term ANDed, an empty term matches nothing. */
export function matchesRequiredAffinity(terms: readonly NodeSelectorTerm[] | null, nodeName: string, labels: StringMap): boolean {
  if (terms === null) return true;
  return terms.some(
    (term) =>
      (term.matchExpressions.length > 0 || term.matchFields.length > 0) &&
      term.matchExpressions.every((r) => matchesRequirement(r, labels)) &&
      term.matchFields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, { 'metadata.name': nodeName })),
  );
}

function matchesRequirement(r: NodeSelectorRequirement, labels: StringMap): boolean {
  const present = has(labels, r.key);
  const value = labels[r.key] ?? '';
  switch (r.operator) {
    case 'In':
      return present && r.values.includes(value);
    case 'NotIn':
      return !present || !r.values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || r.values.length !== 1) return false;
      const have = toInteger(value);
      const bound = toInteger(r.values[0] ?? '');
      if (have === null || bound === null) return false;
      return r.operator === 'Gt' ? have > bound : have < bound;
    }
  }
}

/** A base-10 int64 as Kubernetes' `strconv.ParseInt`, exact via BigInt. */
function toInteger(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  return n >= -(1n << 63n) && n < 1n << 63n ? n : null;
}
