import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig, type Config } from '../../../src/config/load.ts';
import { BUILTIN_PROTECTED_NAMESPACES } from '../../../src/config/schema.ts';

function resolved(raw: Record<string, unknown>): Config {
  const result = resolveConfig(raw);
  assert.ok(result.ok, `expected a valid config, got ${JSON.stringify(result.ok ? null : result.problems)}`);
  return result.config;
}

describe('config defaults', () => {
  const defaults = resolved({});

  const table: Array<{ description: string; read: (c: Config) => unknown; expected: unknown }> = [
    { description: 'mode is dry-run', read: (c) => c.mode, expected: 'dry-run' },
    { description: 'server.port 8080', read: (c) => c.server.port, expected: 8080 },
    { description: 'server.body_limit 16 MiB', read: (c) => c.server.body_limit, expected: 16 * 1024 * 1024 },
    { description: 'no auth token unless configured', read: (c) => c.server.auth_token, expected: undefined },
    { description: 'thresholds.memory_alert 88', read: (c) => c.thresholds.memory_alert, expected: 88 },
    { description: 'thresholds.memory_eviction 93', read: (c) => c.thresholds.memory_eviction, expected: 93 },
    { description: 'thresholds.target_memory_usage 80', read: (c) => c.thresholds.target_memory_usage, expected: 80 },
    { description: 'eviction.max_pods_per_round 2', read: (c) => c.eviction.max_pods_per_round, expected: 2 },
    { description: 'eviction.cooldown_period 90 s', read: (c) => c.eviction.cooldown_period, expected: 90 },
    { description: 'eviction.workload_cooldown 300 s', read: (c) => c.eviction.workload_cooldown, expected: 300 },
    { description: 'eviction.max_evictions_per_hour 20', read: (c) => c.eviction.max_evictions_per_hour, expected: 20 },
    { description: 'eviction.min_target_nodes 2', read: (c) => c.eviction.min_target_nodes, expected: 2 },
    { description: 'eviction.target_node_max_usage 80', read: (c) => c.eviction.target_node_max_usage, expected: 80 },
    { description: 'eviction.alertnames empty', read: (c) => c.eviction.alertnames, expected: [] },
    { description: 'eviction.node_labels node, instance, nodename', read: (c) => c.eviction.node_labels, expected: ['node', 'instance', 'nodename'] },
    { description: 'dedup.silence_period 300 s', read: (c) => c.dedup.silence_period, expected: 300 },
    { description: 'dedup.escalate_after 3', read: (c) => c.dedup.escalate_after, expected: 3 },
    { description: 'dedup.max_entries 10,000', read: (c) => c.dedup.max_entries, expected: 10_000 },
    { description: 'cache.node_cache_ttl 60 s', read: (c) => c.cache.node_cache_ttl, expected: 60 },
    { description: 'cache.pod_cache_ttl 120 s', read: (c) => c.cache.pod_cache_ttl, expected: 120 },
    { description: 'scoring weights .4/.3/.2/.1', read: (c) => c.scoring.weights, expected: { qos: 0.4, memory: 0.3, age: 0.2, replicas: 0.1 } },
    { description: 'protection.respect_pdb true', read: (c) => c.protection.respect_pdb, expected: true },
    { description: 'protection.namespaces are the built-ins', read: (c) => c.protection.namespaces, expected: [...BUILTIN_PROTECTED_NAMESPACES] },
    { description: 'prometheus.max_sample_age 120 s', read: (c) => c.prometheus.max_sample_age, expected: 120 },
    { description: 'no notification channel enabled', read: (c) => c.notifications, expected: {} },
  ];
  for (const row of table) {
    it(row.description, () => {
      assert.deepEqual(row.read(defaults), row.expected);
    });
  }

  it('accepts an empty object and returns it as raw', () => {
    const result = resolveConfig({});
    assert.ok(result.ok);
    assert.deepEqual(result.raw, {});
  });

  it('fills the defaults of a section that is given partly', () => {
    const c = resolved({ server: { port: 9000 }, dedup: { silence_period: 60 } });
    assert.equal(c.server.port, 9000);
    assert.equal(c.server.body_limit, 16 * 1024 * 1024);
    assert.equal(c.dedup.silence_period, 60);
    assert.equal(c.dedup.escalate_after, 3);
  });

  it('keeps the built-in protected namespaces when the config lists its own, without duplicates', () => {
    const c = resolved({ protection: { namespaces: ['payments', 'kube-system'] } });
    for (const ns of BUILTIN_PROTECTED_NAMESPACES) assert.ok(c.protection.namespaces.includes(ns), ns);
    assert.ok(c.protection.namespaces.includes('payments'));
    assert.equal(c.protection.namespaces.filter((n) => n === 'kube-system').length, 1);
  });

  it('does not let two resolutions share state (defaults are not mutated)', () => {
    const a = resolved({});
    a.eviction.alertnames.push('Mutated');
    a.protection.namespaces.push('mutated');
    const b = resolved({});
    assert.deepEqual(b.eviction.alertnames, []);
    assert.deepEqual(b.protection.namespaces, [...BUILTIN_PROTECTED_NAMESPACES]);
  });
});

describe('cluster-size presets (S4.1)', () => {
  const table: Array<{ description: string; raw: Record<string, unknown>; alert: number; eviction: number; pods: number }> = [
    { description: 'no preset: the defaults 88/93/2', raw: {}, alert: 88, eviction: 93, pods: 2 },
    { description: 'small: 85/90/2', raw: { thresholds: { preset: 'small' } }, alert: 85, eviction: 90, pods: 2 },
    { description: 'medium: 88/93/3', raw: { thresholds: { preset: 'medium' } }, alert: 88, eviction: 93, pods: 3 },
    { description: 'large: 90/95/5', raw: { thresholds: { preset: 'large' } }, alert: 90, eviction: 95, pods: 5 },
    {
      description: 'large with an explicit memory_alert: the number wins',
      raw: { thresholds: { preset: 'large', memory_alert: 80 } },
      alert: 80,
      eviction: 95,
      pods: 5,
    },
    {
      description: 'small with explicit eviction threshold and pods per round: the numbers win',
      raw: { thresholds: { preset: 'small', memory_eviction: 97 }, eviction: { max_pods_per_round: 7 } },
      alert: 85,
      eviction: 97,
      pods: 7,
    },
    {
      description: 'medium with every preset key explicit: nothing of the preset remains',
      raw: { thresholds: { preset: 'medium', memory_alert: 70, memory_eviction: 85 }, eviction: { max_pods_per_round: 1 } },
      alert: 70,
      eviction: 85,
      pods: 1,
    },
  ];
  for (const row of table) {
    it(row.description, () => {
      const c = resolved(row.raw);
      assert.equal(c.thresholds.memory_alert, row.alert);
      assert.equal(c.thresholds.memory_eviction, row.eviction);
      assert.equal(c.eviction.max_pods_per_round, row.pods);
    });
  }

  it('rejects an unknown preset, naming the allowed ones', () => {
    const result = resolveConfig({ thresholds: { preset: 'huge' } });
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.key, 'thresholds.preset');
    assert.equal(result.problems[0]?.value, '"huge"');
    for (const name of ['small', 'medium', 'large']) assert.match(result.problems[0]?.allowed ?? '', new RegExp(name));
  });

  it('reports an explicit memory_alert that a preset makes too high', () => {
    const result = resolveConfig({ thresholds: { preset: 'small', memory_alert: 92 } });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.key),
      ['thresholds.memory_alert'],
    );
    assert.match(result.problems[0]?.allowed ?? '', /memory_eviction \(90\)/);
  });
});
