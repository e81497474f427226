/**
 * When to try again. Exponential back-off with jitter for 5xx and network errors, and the
 * server's own word (`Retry-After`, in seconds or as an HTTP date) for 429 and 503.
 */

/** Back-off settings; tests and the demo may scale them. */
export type BackoffOptions = { baseMs: number; maxMs: number };

/** Defaults: 1 s, 2 s, 4 s ... capped at 60 s, each multiplied by a jitter in [0.5, 1). */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/** The longest `Retry-After` honoured; a server asking for more gets the message given up. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Delay before retry number `attempt` (0 for the first retry), "equal jitter" style. */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Reads `Retry-After` (RFC 9110: delay-seconds or an HTTP-date) as milliseconds from `nowMs`;
 * `undefined` when absent or unreadable, never negative.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}
