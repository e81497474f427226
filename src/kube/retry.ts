/**
 * Retrying retryable API answers (5xx, timeouts, network errors, 429 from Priority and Fairness)
 * with capped exponential back-off and full jitter, so several headroom replicas or many nodes
 * do not retry in lock-step against an API server that is already struggling.
 */
import type { Timing } from './rate-limit.ts';
import type { KubeFailure, KubeResult } from './types.ts';

/** How hard to try. */
export type RetryPolicy = Readonly<{
  /** Total attempts, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** A number in [0, 1); injected for tests. */
  random: () => number;
}>;

/** Defaults: 4 attempts, 200 ms doubling to at most 3 s, so a sick call gives up in about 5 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 200, maxMs: 3000, random: Math.random };

/** The delay before retry number `retry` (1-based): full jitter, or the server's Retry-After. */
export function backoffMs(policy: RetryPolicy, retry: number, failure: KubeFailure): number {
  if (failure.retryAfterSeconds !== null) return Math.min(policy.maxMs, failure.retryAfterSeconds * 1000);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Runs `call` until it succeeds, fails for good, or the attempts are spent. Returns the last
 * result and how many attempts were made; an abort during a back-off ends it as `aborted`.
 */
export async function withRetry<T>(
  call: () => Promise<KubeResult<T>>,
  policy: RetryPolicy,
  timing: Timing,
  signal?: AbortSignal,
): Promise<{ result: KubeResult<T>; attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const result = await call();
    if (result.ok || !result.failure.retryable || attempts >= policy.attempts) return { result, attempts };
    try {
      await timing.sleep(backoffMs(policy, attempts, result.failure), signal);
    } catch {
      return { result: { ok: false, failure: { kind: 'aborted', status: null, reason: '', message: 'aborted during back-off', retryable: false, retryAfterSeconds: null } }, attempts };
    }
  }
}
