/**
 * `LimitsStore`: the limits of `limits-state.ts` kept in a ConfigMap (`headroom-state` in
 * headroom's namespace, one key per mode so a dry-run never spends the enforce budget), written
 * with optimistic concurrency: every write carries the resourceVersion it read, a 409 means
 * another replica wrote first, and the change is re-decided on the fresh state. A local mirror
 * answers the synchronous `inCooldown` of the webhook path.
 */
import { randomUUID } from 'node:crypto';
import type { KubeApi, KubeFailure } from '../kube/types.ts';
import { type ClaimRefusal, type LimitsPolicy, type LimitsState, budgetUsed, claim, cooldownLeft, emptyState, parseState, prune, recentWorkloads, release, serializeState, settle } from './limits-state.ts';

/** Where and how the limits are stored. */
export type LimitsStoreOptions = Readonly<{
  api: Pick<KubeApi, 'readConfigMap' | 'writeConfigMap'>;
  namespace: string;
  /** ConfigMap name (default `headroom-state`). */
  name?: string;
  mode: 'dry-run' | 'enforce';
  policy: LimitsPolicy;
  /** Write attempts when other writers keep winning (default 5). */
  maxConflicts?: number;
}>;

/** A store problem, as a value: the API failed, or the stored value is not ours. */
export type StoreFailure = Readonly<{ kind: 'kube' | 'corrupt' | 'contended'; message: string; failure?: KubeFailure }>;

/** A round's claim, to settle after acting. */
export type Claim = Readonly<{ id: string; node: string; slots: number }>;

/** The outcome of `claim`. */
export type ClaimResult = { ok: true; claim: Claim } | ({ ok: false } & ClaimRefusal) | { ok: false; refused: 'unavailable'; failure: StoreFailure };

type Snapshot = { ok: true; state: LimitsState; rv: string | null; data: Record<string, string> };

/** The default ConfigMap name. */
export const STATE_CONFIGMAP = 'headroom-state';

/** Limits persisted in the cluster; see the module comment. */
export class LimitsStore {
  readonly #o: LimitsStoreOptions;
  readonly #name: string;
  readonly #key: string;
  #mirror: LimitsState = emptyState();
  /** The last state read or written, with its resourceVersion. */
  #last: Snapshot | null = null;
  #loaded = false;

  constructor(options: LimitsStoreOptions) {
    this.#o = options;
    this.#name = options.name ?? STATE_CONFIGMAP;
    this.#key = `${options.mode}.json`;
  }

  /** `namespace/name` and key, for messages. */
  get location(): string {
    return `ConfigMap ${this.#o.namespace}/${this.#name} key ${this.#key}`;
  }

  /** True once the stored limits have been read (or written) at least once. */
  get loaded(): boolean {
    return this.#last !== null || this.#loaded;
  }

  /** Mirror: true while `node` is inside its cooldown as last seen. */
  inCooldown(node: string, now: Date): boolean {
    return cooldownLeft(this.#mirror, node, now, this.#o.policy) > 0;
  }

  /** Mirror: seconds left in the node's cooldown. */
  cooldownSeconds(node: string, now: Date): number {
    return cooldownLeft(this.#mirror, node, now, this.#o.policy);
  }

  /** Mirror: evictions the hourly budget still allows. */
  budgetLeft(now: Date): number {
    return Math.max(0, this.#o.policy.maxPerHour - budgetUsed(this.#mirror, now));
  }

  /** Mirror: evictions in the last hour, reserved slots included. */
  budgetUsed(now: Date): number {
    return budgetUsed(this.#mirror, now);
  }

  /** Mirror: workloads in their cooldown, for `Facts.recentWorkloadEvictions`. */
  recentWorkloadEvictions(now: Date): Record<string, string> {
    return recentWorkloads(this.#mirror, now, this.#o.policy);
  }

  /** Reads the stored limits into the mirror (at start-up, and before each decision). */
  async refresh(now: Date, signal?: AbortSignal): Promise<{ ok: true } | { ok: false; failure: StoreFailure }> {
    const r = await this.#readWithData(now, signal);
    if (!r.ok) return r;
    this.#mirror = r.state;
    return { ok: true };
  }

  /** Claims `node` for a round of up to `want` evictions (see `claim` in limits-state). */
  async claim(node: string, want: number, now: Date, signal?: AbortSignal): Promise<ClaimResult> {
    const id = randomUUID();
    let refusal: ClaimRefusal | null = null;
    let slots = 0;
    const r = await this.#update(now, signal, (s) => {
      const c = claim(s, id, node, want, now, this.#o.policy);
      if (!c.ok) {
        refusal = c;
        return null;
      }
      slots = c.slots;
      return c.state;
    });
    if (!r.ok) return { ok: false, refused: 'unavailable', failure: r.failure };
    if (refusal !== null) return { ok: false, ...(refusal as ClaimRefusal) };
    return { ok: true, claim: { id, node, slots } };
  }

  /** Records what a claimed round evicted and releases its unused slots. */
  async settle(c: Claim, evicted: ReadonlyArray<{ pod: string; workload: string | null }>, now: Date, signal?: AbortSignal): Promise<{ ok: true } | { ok: false; failure: StoreFailure }> {
    return this.#update(now, signal, (s) => settle(s, c.id, evicted, now));
  }

  /** Withdraws a claim whose round will not act: its node and slots are free again. */
  async release(c: Claim, now: Date, signal?: AbortSignal): Promise<{ ok: true } | { ok: false; failure: StoreFailure }> {
    return this.#update(now, signal, (s) => {
      const next = release(s, c.id);
      return next === s ? null : next; // already gone (settled, or pruned): nothing to write
    });
  }

  /**
   * Change and write with the resourceVersion the state was read at; on 409 re-read and start
   * over. The first try starts from the last read or write (the resourceVersion makes a stale one
   * fail safely, and saves a round trip on the way to an eviction); a decision not to write (`null`)
   * is only taken on a fresh read.
   */
  async #update(now: Date, signal: AbortSignal | undefined, change: (s: LimitsState) => LimitsState | null): Promise<{ ok: true } | { ok: false; failure: StoreFailure }> {
    const attempts = this.#o.maxConflicts ?? 5;
    for (let i = 0; i < attempts; i++) {
      const cached = i === 0 ? this.#last : null;
      const cur = cached !== null ? { ...cached, state: prune(cached.state, now, this.#o.policy) } : await this.#readWithData(now, signal);
      if (!cur.ok) return cur;
      this.#mirror = cur.state;
      const next = change(cur.state);
      if (next === null && cached !== null) continue;
      if (next === null) return { ok: true };
      const data = { ...cur.data, [this.#key]: serializeState(next) };
      const w = await this.#o.api.writeConfigMap(this.#o.namespace, this.#name, data, cur.rv, signal);
      if (w.ok) {
        this.#mirror = next;
        this.#last = { ok: true, state: next, rv: w.value.resourceVersion, data };
        this.#loaded = true;
        return { ok: true };
      }
      this.#last = null;
      // 409: another writer won; 404: the ConfigMap was deleted since we read it. Re-read either way.
      if (w.failure.kind !== 'conflict' && w.failure.kind !== 'gone') return { ok: false, failure: { kind: 'kube', message: `cannot write ${this.location}: ${w.failure.message}`, failure: w.failure } };
    }
    return { ok: false, failure: { kind: 'contended', message: `${this.location}: ${attempts} writes in a row lost to other writers` } };
  }

  async #readWithData(now: Date, signal?: AbortSignal): Promise<Snapshot | { ok: false; failure: StoreFailure }> {
    const r = await this.#o.api.readConfigMap(this.#o.namespace, this.#name, signal);
    if (!r.ok) return { ok: false, failure: { kind: 'kube', message: `cannot read ${this.location}: ${r.failure.message}`, failure: r.failure } };
    const parsed = parseState(r.value?.data[this.#key]);
    if (!parsed.ok) return { ok: false, failure: { kind: 'corrupt', message: `${this.location} is not headroom's: ${parsed.message}; fix or delete it` } };
    const read: Snapshot = { ok: true, state: prune(parsed.state, now, this.#o.policy), rv: r.value === null ? null : r.value.resourceVersion, data: { ...(r.value?.data ?? {}) } };
    this.#last = read;
    this.#loaded = true;
    return read;
  }
}
