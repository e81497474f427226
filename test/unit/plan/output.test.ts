import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../src/config/load.ts';
import { roundPlanForOutput, round1 } from '../../../src/plan/output.ts';
import { policyFromConfig } from '../../../src/plan/policy.ts';
import type { Plan } from '../../../src/plan/types.ts';

describe('round1', () => {
  const rows = [
    { description: 'keeps one decimal', x: 71.2, want: 71.2 },
    { description: 'rounds down below .05', x: 71.24, want: 71.2 },
    { description: 'rounds half up', x: 72.25, want: 72.3 },
    { description: 'a float just under a half (0.15) still rounds up', x: 0.15, want: 0.2 },
    { description: 'two thirds', x: 200 / 3, want: 66.7 },
    { description: 'a third', x: 100 / 3, want: 33.3 },
    { description: 'integers stay', x: 100, want: 100 },
    { description: 'negative values round away from zero', x: -1.25, want: -1.3 },
    { description: 'no negative zero', x: -0.01, want: 0 },
  ];
  for (const row of rows) it(row.description, () => assert.ok(Object.is(round1(row.x), row.want), `${round1(row.x)} is ${row.want}`));
});

describe('roundPlanForOutput', () => {
  const pod = { namespace: 'd', name: 'p', score: 71.2345, scores: { qos: 100, memory: 6.2222, age: 99.99, replicas: 200 / 3 }, memoryBytes: 1073741824.5, requestBytes: 7, targets: ['a'] };
  const full: Plan = {
    node: 'n',
    memory: { totalBytes: 3, usedBytes: 2, usage: 66.66666, target: 80, projectedUsage: 33.33333 },
    evictions: [pod],
    candidates: [pod],
    protected: [{ namespace: 'k', name: 'x', reasons: ['pdb'] }],
    reachedTarget: true,
  };

  it('rounds scores and percentages to one decimal and leaves bytes alone', () => {
    const out = roundPlanForOutput(full);
    assert.deepEqual(out.memory, { totalBytes: 3, usedBytes: 2, usage: 66.7, target: 80, projectedUsage: 33.3 });
    assert.deepEqual(out.evictions[0], { ...pod, score: 71.2, scores: { qos: 100, memory: 6.2, age: 100, replicas: 66.7 } });
    assert.deepEqual(out.protected, full.protected);
  });

  it('returns a copy: the full-precision plan is untouched', () => {
    roundPlanForOutput(full);
    assert.equal(full.evictions[0]?.score, 71.2345);
  });
});

describe('policyFromConfig', () => {
  it('maps every key the planner reads', () => {
    const r = resolveConfig({
      thresholds: { target_memory_usage: 75 },
      eviction: { max_pods_per_round: 4, min_target_nodes: 3, target_node_max_usage: 70, workload_cooldown: 600 },
      scoring: { weights: { qos: 0.25, memory: 0.25, age: 0.25, replicas: 0.25 } },
      protection: { namespaces: ['payments'], pod_labels: ['tier=db'], pod_prefixes: ['redis-'], excluded_nodes: ['gpu-1'], respect_pdb: false },
    });
    assert.ok(r.ok);
    assert.deepEqual(policyFromConfig(r.config), {
      targetUsage: 75,
      maxPodsPerRound: 4,
      minTargetNodes: 3,
      targetNodeMaxUsage: 70,
      workloadCooldownSeconds: 600,
      weights: { qos: 0.25, memory: 0.25, age: 0.25, replicas: 0.25 },
      protectedNamespaces: ['kube-system', 'kube-public', 'monitoring', 'logging', 'payments'],
      protectedLabels: ['tier=db'],
      protectedPrefixes: ['redis-'],
      excludedNodes: ['gpu-1'],
      respectPdb: false,
      listedTargets: 10,
    });
  });

  it('keeps the built-in namespaces even in a hand-built config without them', () => {
    const r = resolveConfig({});
    assert.ok(r.ok);
    const config = { ...r.config, protection: { ...r.config.protection, namespaces: ['payments'] } };
    assert.deepEqual(policyFromConfig(config).protectedNamespaces, ['kube-system', 'kube-public', 'monitoring', 'logging', 'payments']);
  });
});
