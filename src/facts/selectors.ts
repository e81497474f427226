/**
 * Parsers for the scheduling and selection vocabulary of Kubernetes objects: taints, tolerations,
 * required node affinity and label selectors. They validate operators up front, so the planner's
 * matchers never meet a value the API server would have refused.
 */
import { type Obj, fail, optArr, optObj, optStr, str, strArr, strMap } from './read.ts';
import type { LabelSelector, LabelSelectorOperator, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from './types.ts';

const NODE_OPERATORS: ReadonlySet<string> = new Set<NodeSelectorOperator>(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const LABEL_OPERATORS: ReadonlySet<string> = new Set<LabelSelectorOperator>(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** `spec.taints` of a node. */
export function parseTaints(v: unknown, path: string): readonly Taint[] {
  return optArr(v, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const t = optObj(raw, p);
    return { key: str(t['key'], `${p}.key`), value: optStr(t['value'], `${p}.value`) ?? '', effect: optStr(t['effect'], `${p}.effect`) ?? '' };
  });
}

/** `spec.tolerations` of a pod; an empty operator means `Equal`, as Kubernetes defaults it. */
export function parseTolerations(v: unknown, path: string): readonly Toleration[] {
  return optArr(v, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const t = optObj(raw, p);
    const operator = optStr(t['operator'], `${p}.operator`) || 'Equal';
    return {
      key: optStr(t['key'], `${p}.key`) ?? '',
      operator,
      value: optStr(t['value'], `${p}.value`) ?? '',
      effect: optStr(t['effect'], `${p}.effect`) ?? '',
    };
  });
}

/** `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, null when absent. */
export function parseRequiredNodeAffinity(spec: Obj, path: string): readonly NodeSelectorTerm[] | null {
  const affinity = optObj(spec['affinity'], `${path}.affinity`);
  const nodeAffinity = optObj(affinity['nodeAffinity'], `${path}.affinity.nodeAffinity`);
  const rp = `${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
  const required = nodeAffinity['requiredDuringSchedulingIgnoredDuringExecution'];
  if (required === undefined || required === null) return null;
  return optArr(optObj(required, rp)['nodeSelectorTerms'], `${rp}.nodeSelectorTerms`).map((raw, i) => {
    const p = `${rp}.nodeSelectorTerms[${i}]`;
    const term = optObj(raw, p);
    return {
      matchExpressions: requirements(term['matchExpressions'], `${p}.matchExpressions`),
      matchFields: requirements(term['matchFields'], `${p}.matchFields`),
    };
  });
}

function requirements(v: unknown, path: string): NodeSelectorRequirement[] {
  return optArr(v, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const r = optObj(raw, p);
    const operator = str(r['operator'], `${p}.operator`);
    if (!NODE_OPERATORS.has(operator)) fail(`${p}.operator`, 'one of In, NotIn, Exists, DoesNotExist, Gt, Lt');
    return { key: str(r['key'], `${p}.key`), operator: operator as NodeSelectorOperator, values: strArr(r['values'], `${p}.values`) };
  });
}

/**
 * A label selector (`spec.selector` of a PodDisruptionBudget). null selects nothing: a missing
 * selector always, and an empty one under policy/v1beta1 (policy/v1 made empty mean "all").
 */
export function parseLabelSelector(v: unknown, path: string, emptyMatchesAll: boolean): LabelSelector | null {
  if (v === undefined || v === null) return null;
  const s = optObj(v, path);
  const matchLabels = strMap(s['matchLabels'], `${path}.matchLabels`);
  const matchExpressions = optArr(s['matchExpressions'], `${path}.matchExpressions`).map((raw, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const r = optObj(raw, p);
    const operator = str(r['operator'], `${p}.operator`);
    if (!LABEL_OPERATORS.has(operator)) fail(`${p}.operator`, 'one of In, NotIn, Exists, DoesNotExist');
    const values = strArr(r['values'], `${p}.values`);
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) fail(`${p}.values`, `at least one value for ${operator}`);
    return { key: str(r['key'], `${p}.key`), operator: operator as LabelSelectorOperator, values };
  });
  if (!emptyMatchesAll && Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return null;
  return { matchLabels, matchExpressions };
}
