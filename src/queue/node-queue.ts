/**
 * The per-node work queue between the webhook and the evaluator. It guarantees what the contract
 * promises about repeated alerts: one evaluation per node at a time, repeats coalesced, nodes in
 * cooldown skipped, and a hard bound so a flood answers 503 (Alertmanager retries) instead of
 * growing memory.
 */
import type { Logger } from 'pino';
import type { EvaluationRequest, EvaluationResult, NodeEvaluator } from '../core/evaluator.ts';
import type { Metrics } from '../http/metrics.ts';

/** Longest wait, after the drain timeout, for aborted evaluations to return. */
const ABORT_GRACE_MS = 2000;

/** True when `promise` settles within `ms`; false when the wait was cut short. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What happened to one offer. */
export type OfferResult = 'queued' | 'coalesced' | 'cooldown' | 'full' | 'closed';

/** Options of the queue; `concurrency` is how many different nodes are evaluated at once. */
export type NodeQueueOptions = {
  evaluator: NodeEvaluator;
  maxQueued: number;
  concurrency: number;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
};

/** A bounded, coalescing queue of nodes to evaluate. */
export class NodeQueue {
  readonly #o: NodeQueueOptions;
  readonly #now: () => Date;
  /** Nodes waiting, in arrival order, with the alert names that asked for them. */
  readonly #pending = new Map<string, Set<string>>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: NodeQueueOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Free places for new nodes: idle evaluation slots (a node offered now starts at once) plus
   * waiting places, exactly what `offer` accepts. The webhook checks this before changing any state.
   */
  get freeSlots(): number {
    if (this.#closed) return 0;
    return Math.max(0, this.#o.maxQueued - this.#pending.size) + Math.max(0, this.#o.concurrency - this.#running.size);
  }

  /** True when offering `node` now would take a new place: not waiting, not running, not in cooldown. */
  wouldTakePlace(node: string): boolean {
    return !this.isTracked(node) && !this.#o.evaluator.inCooldown(node, this.#now());
  }

  /** True when `node` would be coalesced rather than take a new place. */
  isTracked(node: string): boolean {
    return this.#pending.has(node) || this.#running.has(node);
  }

  /** Asks for an evaluation of `node`; never throws. */
  offer(node: string, alertname: string): OfferResult {
    if (this.#closed) return 'closed';
    const waiting = this.#pending.get(node);
    if (waiting) {
      waiting.add(alertname);
      return 'coalesced';
    }
    if (this.#running.has(node)) return 'coalesced';
    if (this.#o.evaluator.inCooldown(node, this.#now())) return 'cooldown';
    if (this.#pending.size >= this.#o.maxQueued) return 'full';
    this.#pending.set(node, new Set([alertname]));
    this.#pump();
    return 'queued';
  }

  /** Nodes waiting plus nodes being evaluated. */
  get depth(): number {
    return this.#pending.size + this.#running.size;
  }

  /** Resolves when nothing is pending or running. */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops accepting work and waits for queued and running evaluations, at most `timeoutMs`;
   * after that, running evaluations are aborted and pending ones dropped (and logged).
   */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.idle().then(() => 'idle' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#o.logger.warn({ event: 'queue-drain-timeout', pending: [...this.#pending.keys()], running: [...this.#running.keys()] }, 'shutdown: evaluations still running, aborting them');
      this.#pending.clear();
      this.#abort.abort();
      // Evaluations stop at the signal; one that ignores it must not hold shutdown past its
      // bound, so the wait for them is bounded too.
      const stopped = await settledWithin(Promise.allSettled(this.#running.values()), Math.min(timeoutMs, ABORT_GRACE_MS));
      if (!stopped) this.#o.logger.error({ event: 'queue-abort-ignored', running: [...this.#running.keys()] }, 'shutdown: evaluations ignored the abort signal; leaving them behind');
    }
  }

  #pump(): void {
    while (this.#running.size < this.#o.concurrency && this.#pending.size > 0) {
      const [node, names] = this.#pending.entries().next().value as [string, Set<string>];
      this.#pending.delete(node);
      const request: EvaluationRequest = { node, alertnames: [...names].sort(), requestedAt: this.#now() };
      const run = this.#run(request).finally(() => {
        this.#running.delete(node);
        this.#pump();
        if (this.depth === 0) this.#wakeIdle();
      });
      this.#running.set(node, run);
    }
  }

  async #run(request: EvaluationRequest): Promise<void> {
    // Start on a later turn of the event loop: the webhook answer must leave before any
    // evaluation work runs, even the synchronous part of an evaluator.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const stop = this.#o.metrics.evaluationDuration.startTimer();
    let result: EvaluationResult;
    try {
      result = await this.#o.evaluator.evaluate(request, this.#abort.signal);
    } catch (err) {
      // Evaluators return expected outcomes as values; a throw is a bug, reported and contained.
      result = { node: request.node, result: 'failed', reason: `evaluator error: ${err instanceof Error ? err.message : String(err)}`, evicted: [] };
      this.#o.logger.error({ event: 'evaluation-error', node: request.node, err }, 'evaluation threw');
    }
    stop();
    this.#o.metrics.evaluations.inc({ result: result.result });
    this.#o.logger.info({ event: 'evaluation', ...result, alertnames: request.alertnames }, `evaluated ${request.node}: ${result.result}`);
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
