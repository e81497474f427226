/**
 * The live evaluator as the service runs it: every evaluation that did something, or decided not
 * to for a reason people should hear (protected pods only, stale metrics, the hourly budget),
 * becomes one notification. Cooldown skips and healthy nodes stay quiet: they are routine.
 */
import type { EvaluationRequest, EvaluationResult, NodeEvaluator } from '../core/evaluator.ts';
import type { NotifyEvent, PodOutcome } from '../notify/events.ts';
import type { LiveEvaluation, LiveEvaluator } from './evaluator.ts';

/** Wraps a `LiveEvaluator` so its outcomes reach the notifier. */
export class NotifyingEvaluator implements NodeEvaluator {
  readonly #inner: LiveEvaluator;
  readonly #notify: (event: NotifyEvent) => void;
  readonly #now: () => Date;

  constructor(inner: LiveEvaluator, notify: (event: NotifyEvent) => void, now: () => Date = () => new Date()) {
    this.#inner = inner;
    this.#notify = notify;
    this.#now = now;
  }

  inCooldown(node: string, now: Date): boolean {
    return this.#inner.inCooldown(node, now);
  }

  async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    const evaluation = await this.#inner.evaluateDetailed(request, signal);
    const event = eventOf(evaluation, this.#inner.mode, this.#now().toISOString());
    if (event) this.#notify(event);
    return evaluation.result;
  }
}

/** The notification an evaluation deserves, or null when it is routine. */
export function eventOf(e: LiveEvaluation, mode: 'dry-run' | 'enforce', at: string): NotifyEvent | null {
  const { result } = e;
  const node = result.node;
  if (e.round !== null) {
    const scores = new Map((e.plan?.candidates ?? []).map((p) => [`${p.namespace}/${p.name}`, p.score]));
    const outcomes: PodOutcome[] = e.round.outcomes.map((o) => ({
      namespace: o.namespace,
      name: o.name,
      outcome: o.result === 'evicted' || o.result === 'gone' || o.result === 'pdb-refused' ? o.result : o.result === 'several-pdbs' ? 'pdb-refused' : 'failed',
      score: scores.get(`${o.namespace}/${o.name}`) ?? 0,
      ...(o.message ? { message: o.message } : {}),
    }));
    return {
      type: 'eviction-executed',
      priority: 'critical',
      node,
      at,
      mode,
      outcomes,
      ...(e.usagePercent !== null ? { usage: e.usagePercent } : {}),
      ...(e.plan ? { projectedUsage: e.plan.memory.projectedUsage, target: e.plan.memory.target } : {}),
    };
  }
  if (result.result === 'nothing-to-do' && e.plan !== null && e.plan.evictions.length === 0) {
    return { type: 'nothing-evictable', priority: 'critical', node, at, protected: e.plan.protected };
  }
  if ((result.result === 'skipped' || result.result === 'failed') && result.cooldownSeconds === undefined) {
    return { type: 'eviction-skipped', priority: 'warning', node, at, reason: result.reason ?? result.result };
  }
  return null;
}
