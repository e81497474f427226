/**
 * Turning YAML text, the environment and overrides into a resolved `Config`, or into a list of
 * every problem found (key, value, what is allowed) so an operator fixes them all in one go.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BUILTIN_PROTECTED_NAMESPACES, THRESHOLD_PRESETS, configSchema, type ParsedConfig } from './schema.ts';

/** The config every part of headroom reads: presets resolved, built-in protections merged in. */
export type Config = Omit<ParsedConfig, 'thresholds' | 'eviction'> & {
  thresholds: Omit<ParsedConfig['thresholds'], 'memory_alert' | 'memory_eviction'> & {
    memory_alert: number;
    memory_eviction: number;
  };
  eviction: Omit<ParsedConfig['eviction'], 'max_pods_per_round'> & { max_pods_per_round: number };
};

/** One thing wrong with the config, ready to print. */
export type ConfigProblem = { key: string; value: string; allowed: string };

/** Either a usable config with the raw object it came from, or every problem found. */
export type ConfigResult = { ok: true; config: Config; raw: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] };

const CHANNELS = ['dingtalk', 'slack', 'wecom', 'feishu', 'teams', 'webhook'] as const;

/** Environment variables that carry secrets, mapped to the key they fill. */
const SECRET_ENV: ReadonlyArray<[string, string[]]> = [
  ['HEADROOM_AUTH_TOKEN', ['server', 'auth_token']],
  ...CHANNELS.map((ch): [string, string[]] => [`HEADROOM_${ch.toUpperCase()}_URL`, ['notifications', ch, 'url']]),
  ...CHANNELS.map((ch): [string, string[]] => [`HEADROOM_${ch.toUpperCase()}_SECRET`, ['notifications', ch, 'secret']]),
  ['HEADROOM_WEBHOOK_BEARER_TOKEN', ['notifications', 'webhook', 'bearer_token']],
];

/** Parses YAML text into a plain object, reporting YAML syntax errors as problems. */
export function parseConfigText(text: string, source: string): { ok: true; raw: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] } {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (err) {
    return { ok: false, problems: [{ key: source, value: '(file)', allowed: `valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}` }] };
  }
  if (doc === null || doc === undefined) return { ok: true, raw: {} };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, problems: [{ key: source, value: describe(doc), allowed: 'a YAML mapping of config keys' }] };
  }
  return { ok: true, raw: doc as Record<string, unknown> };
}

/** Fills secrets from the environment into a copy of `raw`; the environment wins over the file. */
export function withSecretsFromEnv(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const [name, path] of SECRET_ENV) {
    const value = env[name];
    if (value === undefined) continue;
    // An empty token must not quietly turn auth off (a Secret with an empty key does this): it is
    // kept, and the schema refuses it. Other empty variables mean "not set".
    if (value === '' && name !== 'HEADROOM_AUTH_TOKEN') continue;
    // A channel's secret alone does not enable the channel: its block must exist already (URLs
    // come first in SECRET_ENV, so a URL from the environment counts).
    const isChannelExtra = path[0] === 'notifications' && path[2] !== 'url';
    if (isChannelExtra && getPath(out, path.slice(0, 2)) === undefined) continue;
    setPath(out, path, value);
  }
  return out;
}

/** Validates a raw config object and resolves presets; lists every problem when it fails. */
export function resolveConfig(raw: Record<string, unknown>): ConfigResult {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    // Every problem at once: the cross-field rules are checked on the sections that did parse,
    // so fixing a typo elsewhere does not reveal a threshold conflict only on the next start.
    return { ok: false, problems: [...issuesToProblems(parsed.error.issues, raw), ...crossFieldProblemsOfSections(raw)] };
  }
  const config = applyPresets(parsed.data);
  const problems = crossFieldProblems(config.thresholds, config.scoring.weights);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config, raw };
}

/** Applies `override` on top of `raw` (deep merge, arrays replaced) and resolves the result. */
export function resolveWithOverride(raw: Record<string, unknown>, override: Record<string, unknown>): ConfigResult {
  return resolveConfig(deepMerge(raw, override));
}

/** Prints problems one per line, the way start-up reports them. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `config: ${p.key}: got ${p.value}; allowed: ${p.allowed}`).join('\n');
}

function applyPresets(c: ParsedConfig): Config {
  const preset = THRESHOLD_PRESETS[c.thresholds.preset ?? 'default'];
  return {
    ...c,
    thresholds: {
      ...c.thresholds,
      memory_alert: c.thresholds.memory_alert ?? preset.memory_alert,
      memory_eviction: c.thresholds.memory_eviction ?? preset.memory_eviction,
    },
    eviction: { ...c.eviction, max_pods_per_round: c.eviction.max_pods_per_round ?? preset.max_pods_per_round },
    protection: {
      ...c.protection,
      namespaces: [...new Set([...BUILTIN_PROTECTED_NAMESPACES, ...c.protection.namespaces])],
    },
  };
}

function crossFieldProblemsOfSections(raw: Record<string, unknown>): ConfigProblem[] {
  const thresholds = configSchema.shape.thresholds.safeParse(raw.thresholds);
  const scoring = configSchema.shape.scoring.safeParse(raw.scoring);
  const t = thresholds.success ? thresholds.data : undefined;
  const preset = THRESHOLD_PRESETS[t?.preset ?? 'default'];
  return crossFieldProblems(
    t && { ...t, memory_alert: t.memory_alert ?? preset.memory_alert, memory_eviction: t.memory_eviction ?? preset.memory_eviction },
    scoring.success ? scoring.data.weights : undefined,
  );
}

/** Rules between keys; a section left out (undefined) is not checked. */
function crossFieldProblems(t: Config['thresholds'] | undefined, w: Config['scoring']['weights'] | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (t === undefined) return weightProblems(w);
  if (t.memory_alert >= t.memory_eviction) {
    problems.push({ key: 'thresholds.memory_alert', value: String(t.memory_alert), allowed: `less than thresholds.memory_eviction (${t.memory_eviction})` });
  }
  if (t.target_memory_usage >= t.memory_eviction) {
    problems.push({ key: 'thresholds.target_memory_usage', value: String(t.target_memory_usage), allowed: `less than thresholds.memory_eviction (${t.memory_eviction})` });
  }
  return [...problems, ...weightProblems(w)];
}

function weightProblems(w: Config['scoring']['weights'] | undefined): ConfigProblem[] {
  if (w === undefined) return [];
  const sum = w.qos + w.memory + w.age + w.replicas;
  if (Math.abs(sum - 1) > 1e-6) {
    return [{ key: 'scoring.weights', value: `sum ${Number(sum.toFixed(6))}`, allowed: 'qos + memory + age + replicas = 1' }];
  }
  return [];
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[], raw: unknown): ConfigProblem[] {
  // A value of the wrong type gets that one problem, not also the size checks zod runs after it.
  const wrongType = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('.')));
  return issues.flatMap((issue): ConfigProblem[] => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ key: [...base, k].join('.') || '(root)', value: describe(getPath(raw, [...base, k]), [...base, k]), allowed: 'no such key (check the spelling)' }));
    }
    if (issue.code !== 'invalid_type' && wrongType.has(base.join('.'))) return [];
    return [{ key: base.join('.') || '(root)', value: describe(getPath(raw, base), base), allowed: issue.message }];
  });
}

/** Channel keys that never hold a secret; anything else under `notifications` may (URLs carry tokens). */
const PLAIN_CHANNEL_KEYS = new Set(['min_priority', 'mention', 'mention_min_priority', 'timeout', 'queue_size', 'max_retries', 'mention_mobiles', 'format']);

/** True when the value at `path` may be a secret, so a problem must not print it. */
function isSecretPath(path: readonly string[]): boolean {
  if (path.some((k) => /token|secret|password|credential/i.test(k))) return true;
  if (path[0] !== 'notifications') return false;
  const key = path[2];
  return key === undefined || !PLAIN_CHANNEL_KEYS.has(key);
}

function describe(v: unknown, path: readonly string[] = []): string {
  if (v === undefined) return '(missing)';
  if (isSecretPath(path)) return '(redacted)';
  const text = JSON.stringify(v) ?? typeof v;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function getPath(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Deep merge where `b` wins; arrays and scalars in `b` replace those in `a`. Objects of `b` are
 * copied through the merge too, so their `__proto__`/`constructor`/`prototype` keys are dropped at
 * every depth, not only where `a` has an object to merge into.
 */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    const prev = out[k];
    out[k] = isPlainObject(v) ? deepMerge(isPlainObject(prev) ? prev : {}, v) : v;
  }
  return out;
}
