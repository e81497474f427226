/**
 * The seam between the webhook path and whatever evaluates a node: the demo simulation, or the
 * live cluster (facts -> plan -> act). The queue only knows this interface.
 */

/** Why a node is being evaluated; carried into logs and notifications. */
export type EvaluationRequest = {
  node: string;
  /** Alert names that asked for it, for the audit trail. */
  alertnames: readonly string[];
  requestedAt: Date;
};

/** How an evaluation ended, as a value (expected outcomes are not exceptions). */
export type EvaluationResult = {
  node: string;
  result: 'evicted' | 'nothing-to-do' | 'skipped' | 'failed';
  /** Human-readable reason, always present for `skipped` and `failed`. */
  reason?: string;
  evicted: ReadonlyArray<{ namespace: string; name: string }>;
  /** Seconds until this node may be acted on again (the per-node cooldown), if one applies. */
  cooldownSeconds?: number;
};

/** Evaluates one node; implementations must not throw for expected outcomes. */
export interface NodeEvaluator {
  evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult>;
  /**
   * True while the node is inside its cooldown, so the queue can skip it without evaluating.
   * Synchronous on purpose: the webhook answers before any slow work, so this reads a local
   * view; `evaluate` re-checks the authoritative (stored) limits before acting.
   */
  inCooldown(node: string, now: Date): boolean;
}
