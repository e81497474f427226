/**
 * The adapter from the Prometheus reader (`prometheus/usage.ts`) to the `UsageSource` the live
 * facts read: records become maps, and the reader's failure kinds fold into three (`stale`,
 * `missing`, `unavailable`: Prometheus unreachable, timing out, erroring or answering nonsense),
 * because that is all the evaluator decides on (skip, skip, fail).
 */
import type { NodeUsageReading, UsageFailure, UsageReading, UsageSource } from '../facts/gather-usage.ts';
import type { UsageFailureKind, UsageReader } from '../prometheus/usage.ts';

function kindOf(kind: UsageFailureKind): UsageFailure['kind'] {
  return kind === 'stale' || kind === 'missing' ? kind : 'unavailable';
}

/** A UsageSource over a Prometheus `UsageReader`. */
export function usageFromPrometheus(reader: Pick<UsageReader, 'nodes' | 'pods'>): UsageSource {
  return {
    async nodeUsage(): Promise<NodeUsageReading> {
      const r = await reader.nodes();
      if (!r.ok) return { ok: false, failure: { kind: kindOf(r.kind), message: r.message } };
      const dropped = new Map<string, UsageFailure>(r.dropped.map((d) => [d.key, { kind: d.reason === 'stale' ? 'stale' : 'missing', message: d.message }]));
      return { ok: true, value: new Map(Object.entries(r.nodes)), dropped };
    },
    async podUsage(node: string): Promise<UsageReading<ReadonlyMap<string, number>>> {
      const r = await reader.pods(node);
      if (!r.ok) return { ok: false, failure: { kind: kindOf(r.kind), message: r.message } };
      return { ok: true, value: new Map(Object.entries(r.pods)) };
    },
  };
}
