/**
 * `executePlan`: the mechanism that carries out a plan (contract, "Acting"). It knows nothing of
 * alerts or scores: it re-checks the node is still over its threshold, then walks the plan's
 * candidates in plan order through the Eviction API (dry-run: the same request with
 * `dryRun: ["All"]`), skipping past PDB refusals, one pod per workload, until the node is
 * projected at its target or the round's slots (round size and hourly budget) are used.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.ts';
import type { KubeApi } from '../kube/types.ts';
import type { Plan, PlannedPod } from '../plan/index.ts';
import { podEvent, type EventWriter } from './events.ts';
import { type PodOutcome, type RoundReport, type StopReason, formatBytes } from './outcome.ts';

/** A usage re-read: percent of capacity now, or why it cannot be known. */
export type UsageCheck = { ok: true; percent: number } | { ok: false; message: string };

/** Everything the executor needs; `slots` comes from the claim (round size and budget). */
export type ExecuteOptions = Readonly<{
  mode: 'dry-run' | 'enforce';
  api: Pick<KubeApi, 'evict'>;
  events: EventWriter;
  /** Evictions allowed in this round. */
  slots: number;
  /** True when `slots` was cut by the hourly budget, so the stop is reported as `budget`. */
  budgetLimited: boolean;
  /** `namespace/name` -> workload key, from the facts. */
  workloads: ReadonlyMap<string, string | null>;
  /** Percent the node must still be over to act (`memory_eviction`, or `--target-usage`). */
  threshold: number;
  checkUsage: () => Promise<UsageCheck>;
  logger: Logger;
  metrics: Metrics;
  signal?: AbortSignal;
}>;

/** Executes `plan`; never throws for API answers. */
export async function executePlan(plan: Plan, o: ExecuteOptions): Promise<RoundReport> {
  const outcomes: PodOutcome[] = [];
  const done = (stopped: StopReason, message: string): RoundReport => ({ node: plan.node, mode: o.mode, outcomes, stopped, message });
  const usage = await o.checkUsage();
  if (!usage.ok) return done('usage-unavailable', `current usage unknown: ${usage.message}`);
  if (usage.percent < o.threshold) return done('under-threshold', `usage is ${usage.percent.toFixed(1)}%, already under ${o.threshold}%`);

  const { usedBytes, totalBytes, target } = plan.memory;
  const chosen = new Set<string>();
  let freed = 0;
  let count = 0;
  for (const pod of plan.candidates) {
    if (totalBytes > 0 && ((usedBytes - freed) / totalBytes) * 100 <= target) return done('target-reached', `projected usage at or under ${target}%`);
    if (count >= o.slots) return o.budgetLimited ? done('budget', `hourly eviction budget reached after ${count} this round`) : done('round-full', `${count} pods per round`);
    if (o.signal?.aborted) return done('aborted', 'aborted');
    const workload = o.workloads.get(`${pod.namespace}/${pod.name}`) ?? null;
    if (workload !== null && chosen.has(workload)) continue;
    const { outcome, retryable } = await evictOne(plan.node, pod, workload, o);
    outcomes.push(outcome);
    if (outcome.result === 'evicted' || outcome.result === 'gone') freed += pod.memoryBytes;
    if (outcome.result === 'evicted') {
      count += 1;
      if (workload !== null) chosen.add(workload);
    }
    if (outcome.result === 'forbidden') return done('forbidden', `forbidden: ${outcome.message}`);
    if (retryable) return done('api-unavailable', `API server failing after ${outcome.attempts} attempts: ${outcome.message}`);
  }
  if (totalBytes > 0 && ((usedBytes - freed) / totalBytes) * 100 <= target) return done('target-reached', `projected usage at or under ${target}%`);
  if (count >= o.slots) return o.budgetLimited ? done('budget', `hourly eviction budget reached after ${count} this round`) : done('round-full', `${count} pods per round`);
  return done('candidates-exhausted', count === 0 ? 'no candidate could be evicted' : `no more candidates after ${count}`);
}

/** One eviction request with its metric, log line and Event. */
async function evictOne(node: string, pod: PlannedPod, workload: string | null, o: ExecuteOptions): Promise<{ outcome: PodOutcome; retryable: boolean }> {
  const dryRun = o.mode === 'dry-run';
  const r = await o.api.evict({ namespace: pod.namespace, name: pod.name }, { dryRun }, o.signal);
  const result = r.result === 'retryable' ? 'failed' : r.result;
  const message = r.result === 'evicted' ? '' : r.message;
  const outcome: PodOutcome = { namespace: pod.namespace, name: pod.name, workload, result, dryRun, attempts: r.attempts, message, memoryBytes: pod.memoryBytes };
  o.metrics.evictions.inc({ mode: o.mode, result });
  const line = { event: result === 'evicted' ? 'eviction' : 'eviction-skipped', node, namespace: pod.namespace, pod: pod.name, workload, mode: o.mode, result, attempts: r.attempts, score: pod.score, memoryBytes: pod.memoryBytes, reason: message || undefined };
  if (result === 'evicted') o.logger.info(line, `${dryRun ? 'dry-run: would evict' : 'evicted'} ${pod.namespace}/${pod.name}`);
  else if (result === 'failed' || result === 'forbidden') o.logger.error(line, `eviction of ${pod.namespace}/${pod.name} failed: ${message}`);
  else o.logger.warn(line, `eviction of ${pod.namespace}/${pod.name} skipped: ${result}`);
  if (result !== 'gone') await o.events.record(podEvent(pod, outcome, eventText(pod, outcome)));
  return { outcome, retryable: r.result === 'retryable' };
}

function eventText(pod: PlannedPod, out: PodOutcome): string {
  const size = formatBytes(pod.memoryBytes);
  if (out.result === 'evicted') return `${out.dryRun ? 'Dry run: headroom would evict' : 'Evicted by headroom'} to relieve memory pressure (score ${pod.score.toFixed(1)}, ${size} working set; fits on ${pod.targets.slice(0, 3).join(', ')})`;
  return `headroom did not evict this pod (${out.result}): ${out.message}`;
}
