/**
 * A client-side token bucket, as client-go's default (QPS and burst): headroom evaluating many
 * nodes at once must not flood the API server, whose Priority and Fairness would answer 429 to
 * everyone sharing our flow. Waiters reserve their token in order, so the bucket stays fair.
 */

/** A clock and a sleeper, injected so tests never wait for real time. */
export type Timing = Readonly<{
  /** Milliseconds on a monotonic clock. */
  nowMs: () => number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}>;

/** Real timing: `performance.now()` and a timer that stops on abort. */
export const realTiming: Timing = {
  nowMs: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Limits calls to `qps` per second on average, with up to `burst` at once. */
export class TokenBucket {
  readonly #qps: number;
  readonly #burst: number;
  readonly #timing: Timing;
  #tokens: number;
  #last: number;

  constructor(options: { qps: number; burst: number; timing?: Timing }) {
    if (!(options.qps > 0) || !(options.burst >= 1)) throw new Error('TokenBucket: qps must be > 0 and burst >= 1');
    this.#qps = options.qps;
    this.#burst = options.burst;
    this.#timing = options.timing ?? realTiming;
    this.#tokens = options.burst;
    this.#last = this.#timing.nowMs();
  }

  /** Milliseconds the next caller would wait (0 when a token is there). */
  get waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : ((1 - this.#tokens) / this.#qps) * 1000;
  }

  /** Takes one token, waiting for it; rejects only when `signal` aborts the wait. */
  async take(signal?: AbortSignal): Promise<void> {
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    const wait = (-this.#tokens / this.#qps) * 1000;
    try {
      await this.#timing.sleep(wait, signal);
    } catch (err) {
      this.#tokens += 1; // give the reservation back
      throw err;
    }
  }

  #refill(): void {
    const now = this.#timing.nowMs();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#qps);
    this.#last = now;
  }
}
