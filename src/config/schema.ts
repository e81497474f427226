/**
 * The one config schema. Every key of the contract lives here with its default beside it, so the
 * README table, the loader and `/simulate` overrides never disagree. Keys are snake_case, like
 * Prometheus and Alertmanager; objects are strict so a typo stops start-up instead of being ignored.
 */
import { z } from 'zod';
import { notificationsSchema } from '../notify/config-schema.ts';

const percent = z.number().min(0).max(100);
const seconds = z.number().min(0).max(7 * 24 * 3600);
const positiveInt = z.number().int().min(1);

/** Namespaces that are always protected (S3.1); configuration can only add to them. */
export const BUILTIN_PROTECTED_NAMESPACES = ['kube-system', 'kube-public', 'monitoring', 'logging'] as const;

/** Cluster-size presets (S4.1). `default` is what applies when no preset is named (S4.2). */
export const THRESHOLD_PRESETS = {
  default: { memory_alert: 88, memory_eviction: 93, max_pods_per_round: 2 },
  small: { memory_alert: 85, memory_eviction: 90, max_pods_per_round: 2 },
  medium: { memory_alert: 88, memory_eviction: 93, max_pods_per_round: 3 },
  large: { memory_alert: 90, memory_eviction: 95, max_pods_per_round: 5 },
} as const;

const serverSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).max(255).default('0.0.0.0'),
  auth_token: z.string().min(16).max(4096).optional(),
  body_limit: z.number().int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Nodes waiting for evaluation; beyond it `/webhook` answers 503 so Alertmanager retries. */
  max_queued_nodes: positiveInt.max(100_000).default(1000),
  /** Bounded shutdown: stop accepting, drain, close clients, then exit regardless. */
  shutdown_timeout: seconds.default(25),
});

const prometheusSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).default('http://localhost:9090'),
  timeout: seconds.min(0.1).max(300).default(10),
  max_sample_age: seconds.min(1).default(120),
  queries: z
    .strictObject({
      node_usage: z.string().min(1).max(10_000).optional(),
      pod_usage: z.string().min(1).max(10_000).optional(),
    })
    .default({}),
});

const kubernetesSchema = z.strictObject({
  kubeconfig: z.string().min(1).max(4096).optional(),
  context: z.string().min(1).max(253).optional(),
});

/** Preset-driven keys have no schema default: an explicit number must win over the preset. */
const thresholdsSchema = z.strictObject({
  preset: z.enum(['small', 'medium', 'large']).optional(),
  memory_alert: percent.optional(),
  memory_eviction: percent.optional(),
  target_memory_usage: percent.default(80),
  /** The dynamic warning threshold never goes below this (quiet clusters stay quiet). */
  alert_floor: percent.default(70),
});

const evictionSchema = z.strictObject({
  max_pods_per_round: positiveInt.max(100).optional(),
  cooldown_period: seconds.default(90),
  workload_cooldown: seconds.default(300),
  max_evictions_per_hour: z.number().int().min(0).max(10_000).default(20),
  min_target_nodes: z.number().int().min(1).max(100).default(2),
  target_node_max_usage: percent.default(80),
  alertnames: z.array(z.string().min(1).max(256)).max(100).default([]),
  node_labels: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)).min(1).max(20).default(['node', 'instance', 'nodename']),
});

const weight = z.number().min(0).max(1);
const scoringSchema = z.strictObject({
  weights: z
    .strictObject({
      qos: weight.default(0.4),
      memory: weight.default(0.3),
      age: weight.default(0.2),
      replicas: weight.default(0.1),
    })
    .default({ qos: 0.4, memory: 0.3, age: 0.2, replicas: 0.1 }),
});

const labelSelectorEntry = z.string().regex(/^[A-Za-z0-9._/-]{1,316}(=[A-Za-z0-9._-]{0,63})?$/, 'expected "key=value" or "key"');
const protectionSchema = z.strictObject({
  namespaces: z.array(z.string().min(1).max(63)).max(1000).default([]),
  pod_labels: z.array(labelSelectorEntry).max(1000).default([]),
  pod_prefixes: z.array(z.string().min(1).max(253)).max(1000).default([]),
  excluded_nodes: z.array(z.string().min(1).max(253)).max(10_000).default([]),
  respect_pdb: z.boolean().default(true),
});

const dedupSchema = z.strictObject({
  silence_period: seconds.default(300),
  escalate_after: positiveInt.max(1000).default(3),
  /** Ledger bound in entries; entries also expire after max(silence_period, 1 h) unseen. */
  max_entries: positiveInt.max(10_000_000).default(10_000),
});

const cacheSchema = z.strictObject({
  node_cache_ttl: seconds.default(60),
  pod_cache_ttl: seconds.default(120),
});

const durationText = z.string().regex(/^[0-9]+(ms|s|m|h)$/, 'expected a Prometheus duration like 30s, 5m, 1h');
const rulesSchema = z.strictObject({
  evaluation_interval: durationText.default('15s'),
  warning_for: durationText.default('2m'),
  critical_for: durationText.default('30s'),
  trend: z
    .strictObject({
      window: durationText.default('10m'),
      /** Least-squares slope threshold, in percentage points per minute. */
      min_rate: z.number().min(0).max(100).default(0.5),
      min_r2: z.number().min(0).max(1).default(0.8),
      horizon: durationText.default('15m'),
      for: durationText.default('1m'),
      /** Whether the trend alert carries `headroom_action="evict"`. */
      evict: z.boolean().default(false),
    })
    .default({ window: '10m', min_rate: 0.5, min_r2: 0.8, horizon: '15m', for: '1m', evict: false }),
  runbook_url: z.url().max(2048).default('https://github.com/headroom-dev/headroom#alerts'),
});

/**
 * The whole file. A missing section is parsed as `{}` (`prefault`), so `{}` is a valid config and
 * every parse gets fresh default arrays: a pre-parsed default object would be shared, nested
 * arrays included, by every config resolved from it.
 */
export const configSchema = z.strictObject({
  mode: z.enum(['dry-run', 'enforce']).default('dry-run'),
  server: serverSchema.prefault({}),
  prometheus: prometheusSchema.prefault({}),
  kubernetes: kubernetesSchema.default({}),
  thresholds: thresholdsSchema.prefault({}),
  eviction: evictionSchema.prefault({}),
  scoring: scoringSchema.prefault({}),
  protection: protectionSchema.prefault({}),
  dedup: dedupSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  rules: rulesSchema.prefault({}),
  notifications: notificationsSchema.prefault({}),
});

/** The config as written (after defaults), before presets are resolved. */
export type ParsedConfig = z.infer<typeof configSchema>;
