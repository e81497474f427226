/**
 * A small TTL cache on an injected clock (S4.3: nodes 60 s, pods 120 s), so repeated alerts spare
 * the API server and tests move time by hand. Bounded: the oldest entry goes first when full.
 */

/** Entries expire `ttlMs` after they were stored; `max` bounds the number of keys. */
export class TtlCache<K, V> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #nowMs: () => number;
  readonly #entries = new Map<K, { at: number; value: V }>();

  constructor(options: { ttlSeconds: number; max: number; nowMs: () => number }) {
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#max = options.max;
    this.#nowMs = options.nowMs;
  }

  /** The value while fresh, else undefined (a TTL of 0 disables caching). */
  get(key: K): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    const age = this.#nowMs() - e.at;
    if (age < this.#ttlMs && age >= 0) return e.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { at: this.#nowMs(), value });
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
