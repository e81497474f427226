/**
 * The limits headroom keeps between evaluations, restarts and replicas (contract, "Acting"):
 * when each node was last acted on (`eviction.cooldown_period`), when each workload last lost a
 * pod (`eviction.workload_cooldown`), and the evictions of the last hour
 * (`eviction.max_evictions_per_hour`). Pure functions over a plain value; `LimitsStore` persists it.
 *
 * A round first *claims* its node and its share of the hourly budget (slots), then *settles*
 * the claim with what it really evicted, or *releases* it when it does not act after all. A claim left by a crashed process keeps its slots for an
 * hour: the budget errs on the side of evicting less.
 */

/** Limits as stored (times are ISO strings, so the ConfigMap reads well in `kubectl get -o yaml`). */
export type LimitsState = {
  /** Node name -> last time headroom acted on it. */
  nodes: Record<string, string>;
  /** Workload key (`ns/Kind/name`) -> last time one of its pods was evicted. */
  workloads: Record<string, string>;
  /** `[time, "namespace/name"]` of each eviction; pruned after an hour. */
  evictions: Array<[string, string]>;
  /** Rounds in progress: their reserved slots count against the budget until settled. */
  claims: Array<{ id: string; node: string; at: string; slots: number }>;
};

/** The configured limits, in seconds and counts. */
export type LimitsPolicy = Readonly<{ cooldownSeconds: number; workloadCooldownSeconds: number; maxPerHour: number }>;

const HOUR_MS = 3600_000;

/** A state with nothing in it. */
export function emptyState(): LimitsState {
  return { nodes: {}, workloads: {}, evictions: [], claims: [] };
}

/** Parses the stored JSON; a value that is not ours is an error, never silently "no limits". */
export function parseState(text: string | undefined): { ok: true; state: LimitsState } | { ok: false; message: string } {
  if (text === undefined || text.trim() === '') return { ok: true, state: emptyState() };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not JSON (${(err as Error).message})` };
  }
  const o = v as Partial<Record<keyof LimitsState, unknown>>;
  const isTimes = (x: unknown): x is Record<string, string> => typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((t) => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
  const pairs = Array.isArray(o?.evictions) && o.evictions.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string');
  const claims = Array.isArray(o?.claims) && o.claims.every((c) => typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string' && typeof (c as { at?: unknown }).at === 'string' && Number.isInteger((c as { slots?: unknown }).slots));
  if (!isTimes(o?.nodes) || !isTimes(o?.workloads) || !pairs || !claims) return { ok: false, message: 'expected {nodes, workloads, evictions, claims} as headroom writes them' };
  return { ok: true, state: { nodes: { ...o.nodes }, workloads: { ...o.workloads }, evictions: o.evictions as Array<[string, string]>, claims: o.claims as LimitsState['claims'] } };
}

/** Serialises the state (stable key order, one line). */
export function serializeState(s: LimitsState): string {
  return JSON.stringify({ nodes: s.nodes, workloads: s.workloads, evictions: s.evictions, claims: s.claims });
}

/** Drops what no longer limits anything, so the ConfigMap stays small. */
export function prune(s: LimitsState, now: Date, p: LimitsPolicy): LimitsState {
  const t = now.getTime();
  const keep = (iso: string, ms: number): boolean => t - Date.parse(iso) < ms;
  const nodes = Object.fromEntries(Object.entries(s.nodes).filter(([, at]) => keep(at, p.cooldownSeconds * 1000)));
  const workloads = Object.fromEntries(Object.entries(s.workloads).filter(([, at]) => keep(at, p.workloadCooldownSeconds * 1000)));
  return { nodes, workloads, evictions: s.evictions.filter(([at]) => keep(at, HOUR_MS)), claims: s.claims.filter((c) => keep(c.at, HOUR_MS)) };
}

/** Seconds left in the node's cooldown (0 when none). */
export function cooldownLeft(s: LimitsState, node: string, now: Date, p: LimitsPolicy): number {
  const at = s.nodes[node];
  if (at === undefined) return 0;
  const left = Date.parse(at) + p.cooldownSeconds * 1000 - now.getTime();
  return left > 0 ? Math.ceil(left / 1000) : 0;
}

/** Evictions of the last hour plus slots held by unsettled claims. */
export function budgetUsed(s: LimitsState, now: Date): number {
  const since = now.getTime() - HOUR_MS;
  const done = s.evictions.filter(([at]) => Date.parse(at) > since).length;
  const held = s.claims.filter((c) => Date.parse(c.at) > since).reduce((sum, c) => sum + c.slots, 0);
  return done + held;
}

/** Workloads still in their cooldown -> their last eviction time (for `Facts`). */
export function recentWorkloads(s: LimitsState, now: Date, p: LimitsPolicy): Record<string, string> {
  const t = now.getTime();
  return Object.fromEntries(Object.entries(s.workloads).filter(([, at]) => t - Date.parse(at) < p.workloadCooldownSeconds * 1000));
}

/** Why a claim was refused. */
export type ClaimRefusal = Readonly<{ refused: 'cooldown'; seconds: number }> | Readonly<{ refused: 'budget'; used: number; max: number }>;

/**
 * Claims `node` for a round of up to `want` evictions: refused inside the node's cooldown or with
 * the hourly budget spent; otherwise starts the cooldown and reserves `min(want, budget left)`.
 */
export function claim(s: LimitsState, id: string, node: string, want: number, now: Date, p: LimitsPolicy): { ok: true; state: LimitsState; slots: number } | ({ ok: false } & ClaimRefusal) {
  const seconds = cooldownLeft(s, node, now, p);
  if (seconds > 0) return { ok: false, refused: 'cooldown', seconds };
  const used = budgetUsed(s, now);
  const slots = Math.min(want, p.maxPerHour - used);
  if (slots <= 0) return { ok: false, refused: 'budget', used, max: p.maxPerHour };
  const at = now.toISOString();
  return { ok: true, slots, state: { ...s, nodes: { ...s.nodes, [node]: at }, claims: [...s.claims, { id, node, at, slots }] } };
}

/**
 * Withdraws the claim `id` of a round that will not act (its facts failed, or its plan was empty):
 * its slots go back to the budget and its node leaves the cooldown it started, as if it had never
 * been claimed. A newer claim or round on that node is left alone.
 */
export function release(s: LimitsState, id: string): LimitsState {
  const c = s.claims.find((x) => x.id === id);
  if (c === undefined) return s;
  const nodes = { ...s.nodes };
  if (nodes[c.node] === c.at) delete nodes[c.node];
  return { ...s, nodes, claims: s.claims.filter((x) => x.id !== id) };
}

/** Replaces the claim `id` with the evictions it made (workloads get their cooldown). */
export function settle(s: LimitsState, id: string, evicted: ReadonlyArray<{ pod: string; workload: string | null }>, now: Date): LimitsState {
  const at = now.toISOString();
  const workloads = { ...s.workloads };
  for (const e of evicted) if (e.workload !== null) workloads[e.workload] = at;
  return { ...s, workloads, evictions: [...s.evictions, ...evicted.map((e): [string, string] => [at, e.pod])], claims: s.claims.filter((c) => c.id !== id) };
}
