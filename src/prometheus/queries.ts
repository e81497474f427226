/**
 * The usage queries: defaults for a kube-prometheus stack, the `$node` placeholder, and the one
 * query sent per read, which carries the values and their sample ages together.
 *
 * Configured queries (`prometheus.queries.node_usage` / `pod_usage`) must return bytes:
 * - `node_usage`: memory in use per node, one series per node, keyed by the label `node`.
 * - `pod_usage`: working-set memory per pod of ONE node, one series per pod, keyed by the labels
 *   `namespace` and `pod`. `$node` stands for the node's name, escaped for a double-quoted
 *   string, so write it inside quotes with an equality matcher: `node="$node"`.
 *
 * Sample age is `time() - timestamp(selector)`: `timestamp()` only reports a sample's own time
 * when applied to a selector (on any other expression it is the evaluation time). The defaults
 * have exact per-node and per-pod age queries; for a configured query, the age of the newest
 * sample of each selector it reads is checked instead (see `vectorSelectors`).
 */
import { promReplacement, promString, vectorSelectors } from './selectors.ts';

/** The placeholder for the node name in `pod_usage`. */
export const NODE_PLACEHOLDER = '$node';

/** Label that tells value series from age series in the combined query. */
export const SERIES_LABEL = 'headroom_series';
/** Label that names the selector of a global (per-selector) age series. */
export const SELECTOR_LABEL = 'headroom_selector';

const INSTANCE_TO_NODE = '"node", "$1", "instance", "(.+?)(?::[0-9]+)?"';
const CADVISOR = `container_memory_working_set_bytes{container!="", container!="POD", node="${NODE_PLACEHOLDER}"}`;

/**
 * Default `node_usage`: node-exporter's MemTotal - MemAvailable per node, `instance` (the node
 * name in kube-prometheus; a `:port` suffix is dropped) copied to `node`. Same source as the
 * shipped `node:headroom_memory_usage:ratio` rule, so headroom and the alert agree.
 */
export const DEFAULT_NODE_USAGE = `max by (node) (label_replace(node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes, ${INSTANCE_TO_NODE}))`;

/** Age of the default `node_usage` per node: its newest MemAvailable sample. */
const DEFAULT_NODE_AGE = `time() - max by (node) (label_replace(timestamp(node_memory_MemAvailable_bytes), ${INSTANCE_TO_NODE}))`;

/**
 * Default `pod_usage`: cAdvisor's working set summed per pod over its containers. `container!=""`
 * drops the pod-level and root cgroups (which would double-count), `container!="POD"` the pause
 * container of older runtimes; `node` is the label prometheus-operator's kubelet relabelling adds.
 */
export const DEFAULT_POD_USAGE = `sum by (namespace, pod) (${CADVISOR})`;

/** Age of the default `pod_usage` per pod: its newest container sample. */
const DEFAULT_POD_AGE = `time() - max by (namespace, pod) (timestamp(${CADVISOR}))`;

/** A value query with the query that gives its sample ages. */
export type QueryPair = Readonly<{ value: string; age: string; custom: boolean }>;

/** Ages of a configured query: one series per selector, labelled with it. */
export function selectorAgeQuery(value: string): string {
  const selectors = vectorSelectors(value);
  if (selectors.length === 0) return 'vector(0)';
  return selectors
    .map((s) => `label_replace(time() - max(timestamp(${s})), ${promString(SELECTOR_LABEL)}, ${promReplacement(s)}, "", "")`)
    .join(' or ');
}

/** The node_usage pair: the default, or the configured query with per-selector ages. */
export function nodeUsagePair(configured: string | undefined): QueryPair {
  if (configured === undefined) return { value: DEFAULT_NODE_USAGE, age: DEFAULT_NODE_AGE, custom: false };
  return { value: configured, age: selectorAgeQuery(configured), custom: true };
}

/** The pod_usage pair for `node`, with `$node` replaced (escaped) everywhere. */
export function podUsagePair(configured: string | undefined, node: string): QueryPair {
  const escaped = promString(node).slice(1, -1);
  // A function replacer: a string one would expand `$&` and friends in the node name.
  const fill = (q: string) => q.replaceAll(NODE_PLACEHOLDER, () => escaped);
  if (configured === undefined) return { value: fill(DEFAULT_POD_USAGE), age: fill(DEFAULT_POD_AGE), custom: false };
  const value = fill(configured);
  return { value, age: selectorAgeQuery(value), custom: true };
}

/** Keeps only the series of `expr` whose `node` label is `node` (no placeholder needed). */
export function onlyNode(expr: string, node: string): string {
  return `(${expr}) and on (node) label_replace(vector(1), "node", ${promReplacement(node)}, "", "")`;
}

/** One query for a pair: its value series and its age series, told apart by `SERIES_LABEL`. */
export function combined(pair: QueryPair): string {
  const tag = (expr: string, kind: string) => `label_replace(\n  ${expr},\n  "${SERIES_LABEL}", "${kind}", "", ""\n)`;
  return `${tag(pair.value, 'usage')}\nor\n${tag(pair.age, 'age')}`;
}
