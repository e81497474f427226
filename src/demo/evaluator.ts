/**
 * The demo's evaluator: the same decision path as the live one (facts -> plan -> act, cooldowns,
 * the re-check of current usage) against the simulation instead of a cluster. Evictions are logged
 * with the same `event` fields a real eviction has, so the demo shows what production logs say.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/load.ts';
import { evictionGate } from '../core/gate.ts';
import type { EvaluationRequest, EvaluationResult, NodeEvaluator } from '../core/evaluator.ts';
import type { Metrics } from '../http/metrics.ts';
import type { NotifyEvent } from '../notify/events.ts';
import { plan, policyFromConfig, roundPlanForOutput } from '../plan/index.ts';
import type { DemoSimulation } from './simulation.ts';

/** What the demo evaluator needs. */
export type DemoEvaluatorOptions = { sim: DemoSimulation; config: Config; logger: Logger; metrics: Metrics; now: () => Date; notify?: (event: NotifyEvent) => void };

/** Evaluates nodes of the simulation. */
export class DemoEvaluator implements NodeEvaluator {
  readonly #lastActed = new Map<string, number>();
  readonly #workloadEvictions: Record<string, string> = {};
  readonly #o: DemoEvaluatorOptions;

  constructor(options: DemoEvaluatorOptions) {
    this.#o = options;
  }

  inCooldown(node: string, now: Date): boolean {
    const last = this.#lastActed.get(node);
    return last !== undefined && now.getTime() - last < this.#o.config.eviction.cooldown_period * 1000;
  }

  async evaluate(request: EvaluationRequest): Promise<EvaluationResult> {
    const { sim, config, logger, metrics } = this.#o;
    const now = this.#o.now();
    const found = sim.facts(request.node);
    if (!found.ok) return { node: request.node, result: 'failed', reason: found.message, evicted: [] };
    const facts = { ...found.facts, recentWorkloadEvictions: { ...this.#workloadEvictions } };
    const usage = facts.node.capacityBytes > 0 ? (facts.node.usedBytes / facts.node.capacityBytes) * 100 : 0;
    const gate = evictionGate(request.alertnames, config.thresholds.memory_eviction, config.thresholds.memory_alert);
    if (usage < gate) {
      const reason = `usage ${usage.toFixed(1)}% is already under ${gate}%`;
      logger.info({ event: 'eviction-skipped', node: request.node, reason }, reason);
      this.#o.notify?.({ type: 'eviction-skipped', priority: 'info', node: request.node, at: now.toISOString(), reason });
      return { node: request.node, result: 'skipped', reason, evicted: [] };
    }
    const decided = plan(facts, policyFromConfig(config), now);
    this.#lastActed.set(request.node, now.getTime());
    if (decided.evictions.length === 0) {
      logger.info({ event: 'eviction-skipped', node: request.node, reason: 'nothing-evictable', protected: decided.protected.length }, 'no pod on the node may be evicted');
      this.#o.notify?.({ type: 'nothing-evictable', priority: 'critical', node: request.node, at: now.toISOString(), protected: decided.protected });
      return { node: request.node, result: 'nothing-to-do', reason: 'every pod is protected or has no room elsewhere', evicted: [] };
    }
    const shown = roundPlanForOutput(decided);
    const evicted = [];
    for (const pod of shown.evictions) {
      sim.evict(pod.namespace, pod.name, pod.targets[0], now);
      const workload = facts.pods.find((p) => p.namespace === pod.namespace && p.name === pod.name)?.workload;
      if (workload) this.#workloadEvictions[workload] = now.toISOString();
      metrics.evictions.inc({ mode: config.mode, result: 'evicted' });
      logger.info({ event: 'eviction', mode: config.mode, node: request.node, namespace: pod.namespace, pod: pod.name, score: pod.score, scores: pod.scores, memoryBytes: pod.memoryBytes, target: pod.targets[0] }, `evicted ${pod.namespace}/${pod.name} (simulated)`);
      evicted.push({ namespace: pod.namespace, name: pod.name });
    }
    this.#o.notify?.({
      type: 'eviction-executed',
      priority: 'critical',
      node: request.node,
      at: now.toISOString(),
      mode: config.mode,
      outcomes: shown.evictions.map((p) => ({ namespace: p.namespace, name: p.name, outcome: 'evicted' as const, score: p.score })),
      usage: shown.memory.usage,
      projectedUsage: shown.memory.projectedUsage,
      target: shown.memory.target,
    });
    return { node: request.node, result: 'evicted', evicted, cooldownSeconds: config.eviction.cooldown_period };
  }
}
