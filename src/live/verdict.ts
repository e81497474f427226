/**
 * How an evaluation ends: one `Verdict` becomes the `EvaluationResult`, a structured log line
 * (`eviction-skipped` for every decision not to evict) and, when nothing could be done on the
 * node, a `HeadroomSkipped` Event on it. Keeping this in one place keeps the three consistent.
 */
import type { Logger } from 'pino';
import { type EventWriter, nodeSkippedEvent } from '../act/events.ts';
import { type RoundReport, succeeded, tally } from '../act/outcome.ts';
import type { EvaluationResult } from '../core/evaluator.ts';
import type { Plan } from '../plan/index.ts';
import type { LiveEvaluation } from './evaluator.ts';

/** The end of an evaluation; `event` says whether (and how loudly) to put an Event on the node. */
export type Verdict = Readonly<{
  result: EvaluationResult['result'];
  reason: string;
  cooldownSeconds?: number;
  event: 'none' | 'normal' | 'warning';
  evicted?: ReadonlyArray<{ namespace: string; name: string }>;
}>;

/** Ends evaluations of one node: logs, records the node Event, builds the result. */
export class Decider {
  readonly #node: string;
  readonly #mode: 'dry-run' | 'enforce';
  readonly #logger: Logger;
  readonly #events: EventWriter;
  #uids: ReadonlyMap<string, string> = new Map();

  constructor(node: string, mode: 'dry-run' | 'enforce', logger: Logger, events: EventWriter) {
    this.#node = node;
    this.#mode = mode;
    this.#logger = logger;
    this.#events = events;
  }

  /** An EventWriter that adds the UIDs of the node and its pods, so `kubectl describe` lists them. */
  events(uids: ReadonlyMap<string, string>): EventWriter {
    this.#uids = uids;
    return {
      record: (e) => {
        const key = e.involved.kind === 'Pod' ? `${e.involved.namespace ?? 'default'}/${e.involved.name}` : e.involved.name;
        return this.#events.record({ ...e, involved: { ...e.involved, uid: this.#uids.get(key) } });
      },
    };
  }

  /** Logs and records `v`, and returns the evaluation. */
  async end(v: Verdict, seen: { usagePercent?: number; plan?: Plan; round?: RoundReport } = {}): Promise<LiveEvaluation> {
    const result: EvaluationResult = { node: this.#node, result: v.result, reason: v.reason, evicted: [...(v.evicted ?? [])], ...(v.cooldownSeconds === undefined ? {} : { cooldownSeconds: v.cooldownSeconds }) };
    if (v.result !== 'evicted') {
      const line = { event: 'eviction-skipped', node: this.#node, mode: this.#mode, result: v.result, reason: v.reason, usagePercent: seen.usagePercent };
      if (v.result === 'failed') this.#logger.error(line, `${this.#node}: no eviction: ${v.reason}`);
      else this.#logger.info(line, `${this.#node}: no eviction: ${v.reason}`);
    }
    if (v.event !== 'none' && v.result !== 'evicted') {
      await this.#events.record({ ...nodeSkippedEvent(this.#node, `headroom did not evict on this node: ${v.reason}`, v.event === 'warning'), involved: { kind: 'Node', name: this.#node, uid: this.#uids.get(this.#node) } });
    }
    return { result, usagePercent: seen.usagePercent ?? null, plan: seen.plan ?? null, round: seen.round ?? null };
  }

  /** Why a plan chose nothing: the node is at its target, or every pod is protected. */
  static emptyPlanReason(p: Plan): string {
    if (p.memory.usage <= p.memory.target) return `usage ${p.memory.usage.toFixed(1)}% is already at or under the target ${p.memory.target}%`;
    const reasons = new Map<string, number>();
    for (const pod of p.protected) for (const r of pod.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const why = [...reasons].map(([r, n]) => `${r}: ${n}`).join(', ');
    return `no evictable pod: ${p.protected.length} protected${why ? ` (${why})` : ''}`;
  }

  /** The verdict of an executed round. */
  static roundVerdict(round: RoundReport, cooldownSeconds: number): Verdict {
    const done = succeeded(round);
    const failures = round.outcomes.filter((o) => o.result !== 'evicted');
    const extra = failures.length > 0 ? `; also ${tally(failures)}` : '';
    if (done.length > 0) {
      const pods = done.map((o) => `${o.namespace}/${o.name}`).join(', ');
      const what = round.mode === 'dry-run' ? `dry-run: the API server would evict ${pods} (nothing was evicted)` : `evicted ${pods}`;
      return { result: 'evicted', reason: `${what}${extra}; ${round.stopped}: ${round.message}`, cooldownSeconds, event: 'none', evicted: done.map((o) => ({ namespace: o.namespace, name: o.name })) };
    }
    const tried = round.outcomes.length > 0 ? `${tally(round.outcomes)}; ` : '';
    switch (round.stopped) {
      case 'under-threshold':
        return { result: 'nothing-to-do', reason: round.message, cooldownSeconds, event: 'normal' };
      case 'api-unavailable':
      case 'forbidden':
      case 'usage-unavailable':
      case 'aborted':
        return { result: 'failed', reason: `${tried}${round.message}`, cooldownSeconds, event: 'warning' };
      default:
        return { result: 'skipped', reason: `${tried}${round.message}`, cooldownSeconds, event: 'warning' };
    }
  }
}
