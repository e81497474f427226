/**
 * A small TTL cache on an injected clock (S4.3: nodes 60 s, pods 120 s), so repeated alerts spare
 * the API server and tests move time by hand. Loads are single-flight (evaluations of ten nodes
 * at once list the cluster once), and an entry may be served stale for a while during a
 * background refresh, so an expensive fold is not on every evaluation's critical path.
 * Bounded: the oldest entry goes first when full.
 */

type Entry<V> = { at: number; value: V; stale: boolean };

/**
 * A load of one key: running (`started`), or queued behind an older one. `generation` is the
 * world it reads: taken when it starts.
 */
type Flight = { generation: number; started: boolean; promise: Promise<unknown> };

/** A load's answer: a value to cache, or a failure passed through untouched. */
export type Loaded<V, F> = { ok: true; value: V } | ({ ok: false } & F);

/** Entries expire `ttlSeconds` after they were stored; `max` bounds the number of keys. */
export class TtlCache<K, V> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #nowMs: () => number;
  readonly #entries = new Map<K, Entry<V>>();
  readonly #inflight = new Map<K, Flight>();
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

  /**
   * One load per key at a time. A caller joins the running load when it reads the current world,
   * else the load queued behind it (which reads the world when it starts); only when neither
   * exists is a load queued. So a burst of evictions during a fold of every pod of a large
   * cluster costs one more fold, not one per eviction running side by side.
   */
  #load<F>(key: K, load: () => Promise<Loaded<V, F>>): Promise<Loaded<V, F>> {
    const current = this.#inflight.get(key);
    if (current !== undefined && (!current.started || current.generation === this.#generation)) return current.promise as Promise<Loaded<V, F>>;
    const flight: Flight = { generation: this.#generation, started: false, promise: Promise.resolve() };
    const start = async (): Promise<Loaded<V, F>> => {
      flight.started = true;
      const generation = (flight.generation = this.#generation);
      const r = await load();
      if (r.ok) this.set(key, r.value, generation !== this.#generation);
      return r;
    };
    const run = (current === undefined ? start() : current.promise.then(start, start)).finally(() => {
      if (this.#inflight.get(key) === flight) this.#inflight.delete(key);
    });
    flight.promise = run;
    this.#inflight.set(key, flight);
    return run;
  }

  #fresh(e: Entry<V>): boolean {
    const age = this.#nowMs() - e.at;
    return !e.stale && age >= 0 && age < this.#ttlMs;
  }
}
