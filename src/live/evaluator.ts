/**
 * `LiveEvaluator`: the `NodeEvaluator` of the real cluster. One evaluation is: the limits as last
 * seen (cooldown, hourly budget) -> current usage from the metrics pipeline (never the alert's
 * value) -> live facts -> the planner -> the Eviction API -> the limits settled (see `round.ts`).
 * The claim on the node in the stored limits (authoritative) is written, and the node's pods
 * listed, while usage is read; the claim is given back when the evaluation does not act after all. Any dependency that fails or is stale ends it with a reason and no eviction.
 * Evaluations of one node never overlap inside a process; the claim keeps replicas apart.
 */
import type { Logger } from 'pino';
import type { UsageCheck } from '../act/execute.ts';
import { eventWriter } from '../act/events.ts';
import { type ClaimResult, LimitsStore } from '../act/limits-store.ts';
import type { RoundReport } from '../act/outcome.ts';
import type { Config } from '../config/load.ts';
import { evictionGate } from '../core/gate.ts';
import type { EvaluationRequest, EvaluationResult, NodeEvaluator } from '../core/evaluator.ts';
import { FactsGatherer, type GatherResult } from '../facts/gather.ts';
import type { UsageReading, UsageSource } from '../facts/gather-usage.ts';
import type { Metrics } from '../http/metrics.ts';
import type { KubeApi } from '../kube/types.ts';
import { type Plan, type Policy, plan as decide, policyFromConfig } from '../plan/index.ts';
import { Decider, type Verdict } from './verdict.ts';
import { type NodeUsage, readNodeUsage } from './node-usage.ts';
import { runRound } from './round.ts';

/** What the live evaluator is built from. */
export type LiveEvaluatorOptions = Readonly<{
  config: Config;
  api: KubeApi;
  usage: UsageSource;
  logger: Logger;
  metrics: Metrics;
  /** Namespace of headroom's state ConfigMap (its own namespace). */
  stateNamespace: string;
  /** State ConfigMap name (default `headroom-state`). */
  stateName?: string;
  /** Overrides `config.mode` (`headroom once --dry-run`). */
  mode?: 'dry-run' | 'enforce';
  /** Maintenance window (S5.3): act on nodes above this percent and bring them down to it. */
  targetUsage?: number;
  now?: () => Date;
  /** Usage read longer ago than this is read again before the first eviction (default 2000 ms). */
  usageReReadMs?: number;
  /** Shared caches (e.g. with `/simulate`); built from the config when absent. */
  gatherer?: FactsGatherer;
  /** Shared limits; built from the config when absent. */
  limits?: LimitsStore;
}>;

/** An evaluation with what it saw and did, for `headroom once` and the logs. */
export type LiveEvaluation = Readonly<{ result: EvaluationResult; usagePercent: number | null; plan: Plan | null; round: RoundReport | null }>;

/** The usage reads an evaluation starts first: every node's usage, and the pods' of its node. */
type UsageReads = { podUsage: Promise<UsageReading<ReadonlyMap<string, number>>>; usage: Promise<NodeUsage> };

/** What an evaluation found before acting: go ahead with these facts and plan, or a verdict. */
type Prepared =
  | { act: true; gathered: Extract<GatherResult, { ok: true }>; plan: Plan; percent: number; usageAt: number; threshold: number }
  | { act: false; verdict: Verdict; seen: { usagePercent?: number; plan?: Plan } };

/** Evaluates nodes of the live cluster; see the module comment. */
export class LiveEvaluator implements NodeEvaluator {
  readonly mode: 'dry-run' | 'enforce';
  /** Percent a node must be over for headroom to act. */
  readonly threshold: number;
  readonly limits: LimitsStore;
  readonly gatherer: FactsGatherer;
  readonly #o: LiveEvaluatorOptions;
  readonly #policy: Policy;
  readonly #now: () => Date;
  readonly #running = new Map<string, Promise<LiveEvaluation>>();

  constructor(options: LiveEvaluatorOptions) {
    const c = options.config;
    this.#o = options;
    this.mode = options.mode ?? c.mode;
    this.threshold = options.targetUsage ?? c.thresholds.memory_eviction;
    const policy = policyFromConfig(c);
    this.#policy = options.targetUsage === undefined ? policy : { ...policy, targetUsage: options.targetUsage };
    this.#now = options.now ?? (() => new Date());
    this.gatherer = options.gatherer ?? new FactsGatherer({ api: options.api, usage: options.usage, nodeCacheSeconds: c.cache.node_cache_ttl, podCacheSeconds: c.cache.pod_cache_ttl });
    this.limits =
      options.limits ??
      new LimitsStore({
        api: options.api,
        namespace: options.stateNamespace,
        name: options.stateName,
        mode: this.mode,
        policy: { cooldownSeconds: c.eviction.cooldown_period, workloadCooldownSeconds: c.eviction.workload_cooldown, maxPerHour: c.eviction.max_evictions_per_hour },
      });
  }

  /**
   * Loads the stored limits so `inCooldown` is right from the first alert after a restart, and
   * starts warming the caches (node list, every node's requests) in the background.
   */
  async init(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; message: string }> {
    void this.gatherer.warm(signal).catch(() => undefined);
    const r = await this.limits.refresh(this.#now(), signal);
    return r.ok ? r : { ok: false, message: r.failure.message };
  }

  /** From the local mirror of the stored limits (see `NodeEvaluator`). */
  inCooldown(node: string, now: Date): boolean {
    return this.limits.inCooldown(node, now);
  }

  async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    return (await this.evaluateDetailed(request, signal)).result;
  }

  /** `evaluate` with the usage, plan and round it produced. Never throws for expected outcomes. */
  async evaluateDetailed(request: EvaluationRequest, signal?: AbortSignal): Promise<LiveEvaluation> {
    const node = request.node;
    const before = this.#running.get(node);
    const run = (before ?? Promise.resolve()).catch(() => undefined).then(() => this.#evaluate(request, signal));
    this.#running.set(node, run);
    try {
      return await run;
    } finally {
      if (this.#running.get(node) === run) this.#running.delete(node);
    }
  }

  async #evaluate(request: EvaluationRequest, signal?: AbortSignal): Promise<LiveEvaluation> {
    const node = request.node;
    const now = this.#now();
    const d = new Decider(node, this.mode, this.#o.logger, eventWriter(this.#o.api, this.#o.logger, signal));
    // The mirror answers early; the claim before acting checks the stored limits authoritatively.
    if (!this.limits.loaded) {
      const refreshed = await this.limits.refresh(now, signal);
      if (!refreshed.ok) return d.end({ result: 'failed', reason: `limits unavailable: ${refreshed.failure.message}`, event: 'warning' });
    }
    const cooldown = this.limits.cooldownSeconds(node, now);
    if (cooldown > 0) return d.end({ result: 'skipped', reason: `node is in its cooldown for another ${cooldown} s`, cooldownSeconds: cooldown, event: 'none' });
    if (this.limits.budgetLeft(now) === 0) {
      // Settled claims can give slots back: confirm on a fresh read before refusing.
      const refreshed = await this.limits.refresh(now, signal);
      if (!refreshed.ok || this.limits.budgetLeft(now) === 0) return d.end(this.#budgetVerdict(now));
    }

    // Everything an eviction waits on starts now, together, instead of one round trip after
    // another: the usage reads (first: the API client does more work before its request leaves),
    // the claim (the one write before acting) and the node's pods (the one list). An evaluation
    // that does not act after all gives the claim back; the pods stay cached.
    const podUsage = this.#o.usage.podUsage(node, signal); // unused if under threshold
    podUsage.catch(() => undefined);
    const usage = readNodeUsage(this.#o.usage, this.gatherer, node, signal);
    const claiming = this.limits.claim(node, this.#policy.maxPodsPerRound, now, signal);
    this.gatherer.prefetchPods(node, signal);
    const ready = await this.#prepare(request, now, { podUsage, usage }, signal);
    if (!ready.act) {
      await this.#release(claiming, node, signal);
      return d.end(ready.verdict, ready.seen);
    }
    const { gathered, plan: p, percent, usageAt, threshold } = ready;
    const seen = { usagePercent: percent, plan: p };
    const r = await runRound({
      node, facts: gathered.facts, plan: p, claimed: await claiming, policy: this.#policy, now, mode: this.mode, threshold,
      api: this.#o.api, limits: this.limits, gatherer: this.gatherer, events: d.events(gathered.uids),
      checkUsage: () => this.#recheck(node, { percent, at: usageAt }, signal),
      logger: this.#o.logger, metrics: this.#o.metrics, clock: this.#now, signal,
    });
    if (r.ran) return d.end(Decider.roundVerdict(r.round, this.#o.config.eviction.cooldown_period), { usagePercent: percent, plan: r.plan, round: r.round });
    if (r.refused === 'cooldown') return d.end({ result: 'skipped', reason: `node is in its cooldown for another ${r.seconds} s (claimed elsewhere)`, cooldownSeconds: r.seconds, event: 'none' }, seen);
    if (r.refused === 'budget') return d.end(this.#budgetVerdict(now, r.used), seen);
    return d.end({ result: 'failed', reason: `limits unavailable: ${r.message}`, event: 'warning' }, seen);
  }

  /** Current usage (never the alert's value), the live facts and the plan; or why not to act. */
  async #prepare(request: EvaluationRequest, now: Date, reads: UsageReads, signal?: AbortSignal): Promise<Prepared> {
    const node = request.node;
    const podUsage = reads.podUsage;
    const usage = await reads.usage;
    if (!usage.ok) return { act: false, verdict: usage.verdict, seen: {} };
    const usageAt = this.#now().getTime();
    const percent = usage.percent;
    const threshold = evictionGate(request.alertnames, this.threshold, this.#o.config.thresholds.memory_alert);
    if (percent < threshold) return { act: false, verdict: { result: 'nothing-to-do', reason: `usage ${percent.toFixed(1)}% is under ${threshold}%`, event: 'normal' }, seen: { usagePercent: percent } };

    const gathered = await this.gatherer.gather(node, { nodeUsage: usage.all, podUsage, recentWorkloadEvictions: this.limits.recentWorkloadEvictions(now), signal });
    if (!gathered.ok) {
      const stale = gathered.error === 'usage' && gathered.failure.kind !== 'unavailable';
      return { act: false, verdict: { result: stale || gathered.error === 'unknown-node' ? 'skipped' : 'failed', reason: `facts: ${gathered.message}`, event: 'warning' }, seen: { usagePercent: percent } };
    }
    const p = decide(gathered.facts, this.#policy, now);
    if (p.evictions.length === 0) return { act: false, verdict: { result: 'nothing-to-do', reason: Decider.emptyPlanReason(p), event: 'normal' }, seen: { usagePercent: percent, plan: p } };
    return { act: true, gathered, plan: p, percent, usageAt, threshold };
  }

  /**
   * The usage right before the first eviction: the reading this evaluation started from while it
   * is younger than `usageReReadMs` (Prometheus would answer the same scrape), else a new one.
   */
  async #recheck(node: string, reading: { percent: number; at: number }, signal?: AbortSignal): Promise<UsageCheck> {
    if (this.#now().getTime() - reading.at <= (this.#o.usageReReadMs ?? 2000)) return { ok: true, percent: reading.percent };
    const u = await readNodeUsage(this.#o.usage, this.gatherer, node, signal);
    return u.ok ? { ok: true, percent: u.percent } : { ok: false, message: u.verdict.reason };
  }

  /** Gives back a claim taken for a round that will not act; a failure is logged, not fatal. */
  async #release(claiming: Promise<ClaimResult>, node: string, signal?: AbortSignal): Promise<void> {
    const c = await claiming;
    if (!c.ok) return;
    const r = await this.limits.release(c.claim, this.#now(), signal);
    if (!r.ok) this.#o.logger.error({ event: 'limits-not-recorded', node, err: r.failure.message }, 'a claim could not be given back: the node stays in its cooldown and the slots stay held for an hour');
  }

  #budgetVerdict(now: Date, used = this.limits.budgetUsed(now)): Verdict {
    const max = this.#o.config.eviction.max_evictions_per_hour;
    return { result: 'skipped', reason: `hourly eviction budget reached: ${used} of ${max} evictions in the last hour (eviction.max_evictions_per_hour)`, event: 'warning' };
  }
}
