/**
 * Memory usage from Prometheus, checked for freshness: every node in one query, one node in one
 * query, the pods of one node in one query. Each query carries its own sample ages, so "stale or
 * missing metrics mean no eviction" is decided here, with a message that says which series and
 * how old. Ages are measured on Prometheus's clock (no `time` parameter is sent), so a skewed
 * clock on headroom's side cannot make old data look fresh.
 */
import type { PrometheusClient } from './client.ts';
import { judgeFreshness, type DroppedSeries, type FreshnessSpec, type UsageFailure } from './freshness.ts';
import { combined, nodeUsagePair, onlyNode, podUsagePair, type QueryPair } from './queries.ts';

export type { DroppedSeries, UsageFailure, UsageFailureKind } from './freshness.ts';

/** The `prometheus` config keys this reads (the shape of `Config['prometheus']`). */
export type UsageSettings = Readonly<{
  max_sample_age: number;
  queries: Readonly<{ node_usage?: string | undefined; pod_usage?: string | undefined }>;
}>;

/** Bytes in use per node name, from fresh samples only. */
export type NodeUsage = Readonly<{
  ok: true;
  nodes: Readonly<Record<string, number>>;
  newestSampleAgeSeconds: number;
  /** Nodes left out: stale samples, or a value that is no byte count. */
  dropped: readonly DroppedSeries[];
}>;

/** Bytes in use on one node. */
export type OneNodeUsage = Readonly<{ ok: true; node: string; usedBytes: number; sampleAgeSeconds: number }>;

/** Working-set bytes per pod (`namespace/name`) on one node, from fresh samples only. */
export type PodUsage = Readonly<{
  ok: true;
  node: string;
  pods: Readonly<Record<string, number>>;
  newestSampleAgeSeconds: number;
  /** Pods left out, e.g. a deleted pod whose cAdvisor series lingers with old timestamps. */
  dropped: readonly DroppedSeries[];
}>;

/** Reads usage through one client with one config. */
export interface UsageReader {
  /** `node_usage` for every node. */
  nodes(): Promise<NodeUsage | UsageFailure>;
  /** `node_usage` for one node (filtered in PromQL): `missing` or `stale` when it has no fresh data. */
  node(name: string): Promise<OneNodeUsage | UsageFailure>;
  /** `pod_usage` for the pods of one node. */
  pods(node: string): Promise<PodUsage | UsageFailure>;
}

const nodeKey = (l: Readonly<Record<string, string>>) => l.node ?? '';
const podKey = (l: Readonly<Record<string, string>>) => `${l.namespace ?? ''}/${l.pod ?? ''}`;

/** Creates a reader; queries come from `settings.queries`, else the kube-prometheus defaults. */
export function createUsageReader(client: PrometheusClient, settings: UsageSettings): UsageReader {
  const maxAgeSeconds = settings.max_sample_age;
  const nodePair = nodeUsagePair(settings.queries.node_usage);
  const nodeSpec = (scope: string): FreshnessSpec => ({ what: 'node_usage', keyLabels: ['node'], keyOf: nodeKey, maxAgeSeconds, custom: nodePair.custom, scope });

  async function run(pair: QueryPair, spec: FreshnessSpec) {
    const result = await client.query(combined(pair));
    if (!result.ok) return { ok: false as const, kind: result.kind, message: `${spec.what}: ${result.message}` };
    if (result.resultType !== 'vector') return { ok: false as const, kind: 'bad-data' as const, message: `${spec.what} must return an instant vector, not a scalar` };
    return judgeFreshness(result.samples, spec);
  }

  return {
    async nodes() {
      const r = await run(nodePair, nodeSpec('for any node'));
      return r.ok ? { ok: true, nodes: r.values, newestSampleAgeSeconds: r.newestSampleAgeSeconds, dropped: r.dropped } : r;
    },
    async node(name) {
      const pair = { ...nodePair, value: onlyNode(nodePair.value, name), age: nodePair.custom ? nodePair.age : onlyNode(nodePair.age, name) };
      const r = await run(pair, nodeSpec(`for node ${name}`));
      if (!r.ok) return r;
      const used = r.values[name];
      if (used === undefined) {
        const why = r.dropped.find((d) => d.key === name);
        if (why === undefined) return { ok: false, kind: 'missing', message: `node_usage returned no series for node ${name}` };
        return { ok: false, kind: why.reason === 'bad-value' ? 'bad-data' : 'stale', message: why.message };
      }
      return { ok: true, node: name, usedBytes: used, sampleAgeSeconds: r.newestSampleAgeSeconds };
    },
    async pods(node) {
      const pair = podUsagePair(settings.queries.pod_usage, node);
      const spec: FreshnessSpec = { what: 'pod_usage', keyLabels: ['namespace', 'pod'], keyOf: podKey, maxAgeSeconds, custom: pair.custom, scope: `on node ${node}` };
      const r = await run(pair, spec);
      return r.ok ? { ok: true, node, pods: r.values, newestSampleAgeSeconds: r.newestSampleAgeSeconds, dropped: r.dropped } : r;
    },
  };
}
