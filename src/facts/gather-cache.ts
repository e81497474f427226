/**
 * A small TTL cache on an injected clock (S4.3: nodes 60 s, pods 120 s), so repeated alerts spare
 * the API server and tests move time by hand. Loads are single-flight (evaluations of ten nodes
 * at once list the cluster once), and an entry may be served stale for a while during a
 * background refresh, so an expensive fold is not on every evaluation's critical path.
 * Bounded: the oldest entry goes first when full.
 */

type Entry<V> = { at: number; value: V; stale: boolean };

/** A load's answer: a value to cache, or a failure passed through untouched. */
export type Loaded<V, F> = { ok: true; value: V } | ({ ok: false } & F);

/** Entries expire `ttlSeconds` after they were stored; `max` bounds the number of keys. */
export class TtlCache<K, V> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #nowMs: () => number;
  readonly #entries = new Map<K, Entry<V>>();
  readonly #inflight = new Map<K, { generation: number; promise: Promise<unknown> }>();
  /**
   * Bumped by `markStale` and `delete`. A load started before a bump read the world before the
   * change that caused it (an eviction), so its value is stored stale and later callers do not
   * join it.
   */
  #generation = 0;

  constructor(options: { ttlSeconds: number; max: number; nowMs: () => number }) {
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#max = options.max;
    this.#nowMs = options.nowMs;
  }

  /** The value while fresh, else undefined (a TTL of 0 disables caching). */
  get(key: K): V | undefined {
    const e = this.#entries.get(key);
    return e !== undefined && this.#fresh(e) ? e.value : undefined;
  }

  set(key: K, value: V, stale = false): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { at: this.#nowMs(), value, stale });
  }

  delete(key: K): void {
    this.#generation += 1;
    this.#entries.delete(key);
  }

  /** Keeps every value for stale serving but makes the next `fetch` refresh it. */
  markStale(): void {
    this.#generation += 1;
    for (const e of this.#entries.values()) e.stale = true;
  }

  /**
   * The fresh value; else, when one younger than `staleSeconds` exists, that value at once while
   * a refresh runs in the background; else the result of `load` (shared by concurrent callers).
   * Only successful loads are cached.
   */
  async fetch<F>(key: K, load: () => Promise<Loaded<V, F>>, staleSeconds = 0): Promise<Loaded<V, F>> {
    const e = this.#entries.get(key);
    if (e !== undefined && this.#fresh(e)) return { ok: true, value: e.value };
    const run = this.#load(key, load);
    if (e !== undefined && this.#nowMs() - e.at < staleSeconds * 1000) {
      run.catch(() => undefined);
      return { ok: true, value: e.value };
    }
    return run;
  }

  #load<F>(key: K, load: () => Promise<Loaded<V, F>>): Promise<Loaded<V, F>> {
    const generation = this.#generation;
    const running = this.#inflight.get(key);
    if (running !== undefined && running.generation === generation) return running.promise as Promise<Loaded<V, F>>;
    const run: Promise<Loaded<V, F>> = load()
      .then((r) => {
        if (r.ok) this.set(key, r.value, generation !== this.#generation);
        return r;
      })
      .finally(() => {
        if (this.#inflight.get(key)?.promise === run) this.#inflight.delete(key);
      });
    this.#inflight.set(key, { generation, promise: run });
    return run;
  }

  #fresh(e: Entry<V>): boolean {
    const age = this.#nowMs() - e.at;
    return !e.stale && age >= 0 && age < this.#ttlMs;
  }
}
