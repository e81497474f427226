/**
 * A sliding-window rate limiter per channel: never more than `perSecond` sends in any second nor
 * `perMinute` in any minute, measured on our side with a small margin for the vendor's clock.
 * Time and waiting are injected, so a burst of hundreds of messages is tested in milliseconds.
 */

/** Waits `ms` or until `signal` aborts (then rejects). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** The rates to hold; either may be absent. */
export type Rates = { perSecond?: number; perMinute?: number };

/** Takes a slot before each request. */
export type RateLimiter = {
  /** Resolves when a request may go out now, having recorded it; rejects if `signal` aborts. */
  acquire(signal: AbortSignal): Promise<void>;
  /** Holds every send until `untilMs` (a vendor asked us to slow down). */
  pause(untilMs: number): void;
};

/** Extra width of each window, so requests that reach the vendor late still fit its window. */
export const WINDOW_MARGIN_MS = 250;

/** Creates a limiter over the injected clock and sleep. */
export function createRateLimiter(rates: Rates, now: () => number, sleep: Sleep): RateLimiter {
  const windows: Array<{ limit: number; ms: number }> = [];
  if (rates.perSecond !== undefined) windows.push({ limit: rates.perSecond, ms: 1000 + WINDOW_MARGIN_MS });
  if (rates.perMinute !== undefined) windows.push({ limit: rates.perMinute, ms: 60_000 + WINDOW_MARGIN_MS });
  const longest = Math.max(0, ...windows.map((w) => w.ms));
  const sent: number[] = [];
  let pausedUntil = 0;

  function waitNeeded(t: number): number {
    while (sent.length > 0 && (sent[0] ?? 0) <= t - longest) sent.shift();
    let wait = Math.max(0, pausedUntil - t);
    for (const w of windows) {
      const inWindow = sent.filter((s) => s > t - w.ms);
      if (inWindow.length >= w.limit) {
        const oldestThatMustLeave = inWindow[inWindow.length - w.limit] ?? t;
        wait = Math.max(wait, oldestThatMustLeave + w.ms - t);
      }
    }
    return wait;
  }

  return {
    async acquire(signal) {
      for (;;) {
        signal.throwIfAborted();
        const t = now();
        const wait = waitNeeded(t);
        if (wait <= 0) {
          sent.push(t);
          return;
        }
        await sleep(wait, signal);
      }
    },
    pause(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
  };
}
