/**
 * A node's current usage in percent of its capacity: the metrics pipeline's bytes (all nodes in
 * one query) over the node's `status.capacity.memory` (from the cached node list). Each way it can
 * be unknown is a verdict: stale or missing data skips (no eviction on a guess), an unreachable
 * dependency fails.
 */
import type { FactsGatherer } from '../facts/gather.ts';
import type { UsageSource } from '../facts/gather-usage.ts';
import type { Verdict } from './verdict.ts';

/** The node's usage (and every node's bytes, reused by the facts), or the verdict when unknown. */
export type NodeUsage = { ok: true; percent: number; all: ReadonlyMap<string, number> } | { ok: false; verdict: Verdict };

/** Reads the usage of `node` now. */
export async function readNodeUsage(usage: UsageSource, gatherer: FactsGatherer, node: string, signal?: AbortSignal): Promise<NodeUsage> {
  const [bytes, nodes] = await Promise.all([usage.nodeUsage(signal), gatherer.nodeList(signal)]);
  if (!bytes.ok) {
    const result = bytes.failure.kind === 'unavailable' ? 'failed' : 'skipped';
    return { ok: false, verdict: { result, reason: `metrics ${bytes.failure.kind}: ${bytes.failure.message}`, event: 'warning' } };
  }
  if (!nodes.ok) return { ok: false, verdict: { result: 'failed', reason: `cannot list nodes: ${nodes.message}`, event: 'warning' } };
  const basics = nodes.value.nodes.find((n) => n.name === node);
  if (basics === undefined) return { ok: false, verdict: { result: 'skipped', reason: `node ${node} is not in the cluster`, event: 'none' } };
  const used = bytes.value.get(node);
  if (used === undefined) {
    const why = bytes.dropped?.get(node);
    return { ok: false, verdict: { result: 'skipped', reason: why ? `metrics ${why.kind}: ${why.message}` : `metrics missing: no usage sample for node ${node}`, event: 'warning' } };
  }
  if (basics.capacityBytes <= 0) return { ok: false, verdict: { result: 'skipped', reason: `node ${node} reports no memory capacity`, event: 'warning' } };
  return { ok: true, percent: (used / basics.capacityBytes) * 100, all: bytes.value };
}
