import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Facts, PodFacts } from '../../../src/facts/types.ts';
import { plan } from '../../../src/plan/plan.ts';
import type { Policy } from '../../../src/plan/policy.ts';
import type { Plan } from '../../../src/plan/types.ts';
import { GiB, MiB, NOW, ago, facts, node, pod, policy } from './builders.ts';

const names = (pods: ReadonlyArray<{ namespace: string; name: string }>): string[] => pods.map((p) => `${p.namespace}/${p.name}`);
const run = (f: Partial<Facts>, p: Partial<Policy> = {}): Plan => plan(facts(f), policy(p), NOW);

describe('plan: order', () => {
  const rows: ReadonlyArray<{ description: string; pods: PodFacts[]; policy?: Partial<Policy>; order: string[] }> = [
    {
      description: 'higher score first (BestEffort before Burstable before Guaranteed)',
      pods: [pod({ name: 'g', qosClass: 'Guaranteed' }), pod({ name: 'b', qosClass: 'BestEffort' }), pod({ name: 'u', qosClass: 'Burstable' })],
      order: ['shop/b', 'shop/u', 'shop/g'],
    },
    {
      description: 'equal scores: more memory in use first',
      pods: [pod({ name: 'small', usageBytes: GiB }), pod({ name: 'big', usageBytes: 2 * GiB })],
      policy: { weights: { qos: 0.5, memory: 0, age: 0.5, replicas: 0 } },
      order: ['shop/big', 'shop/small'],
    },
    {
      description: 'equal scores and memory: namespace, then name (code-unit order)',
      pods: [pod({ name: 'b' }), pod({ name: 'a', namespace: 'zeta' }), pod({ name: 'a' }), pod({ name: 'B' })],
      policy: { targetUsage: 99 },
      order: ['shop/B', 'shop/a', 'shop/b', 'zeta/a'],
    },
  ];
  for (const row of rows) {
    it(row.description, () => assert.deepEqual(names(run({ pods: row.pods }, { targetUsage: 99, ...row.policy }).candidates), row.order));
  }
});

describe('plan: selection', () => {
  it('chooses until projected usage is at or under the target', () => {
    const pods = ['a', 'b', 'c'].map((n) => pod({ name: n, usageBytes: 1.5 * GiB }));
    const p = run({ pods }, { maxPodsPerRound: 3 });
    assert.deepEqual(names(p.evictions), ['shop/a', 'shop/b']);
    assert.equal(p.memory.projectedUsage, 75);
    assert.equal(p.reachedTarget, true);
    assert.deepEqual(names(p.candidates), ['shop/a', 'shop/b', 'shop/c'], 'every eligible pod is a candidate');
  });

  it('stops at max_pods_per_round and says the target was not reached', () => {
    const pods = ['a', 'b', 'c'].map((n) => pod({ name: n, usageBytes: GiB / 2 }));
    const p = run({ pods }, { maxPodsPerRound: 2 });
    assert.deepEqual(names(p.evictions), ['shop/a', 'shop/b']);
    assert.equal(p.memory.projectedUsage, 87.5);
    assert.equal(p.reachedTarget, false);
  });

  it('a node already at or under the target evicts nothing and has reached it', () => {
    const p = run({ node: node({ name: 'n0', usedBytes: 12.8 * GiB }), pods: [pod({ name: 'a' })] });
    assert.deepEqual(p.evictions, []);
    assert.equal(p.reachedTarget, true);
    assert.deepEqual(names(p.candidates), ['shop/a']);
    assert.equal(p.memory.usage, 80);
    assert.equal(p.memory.projectedUsage, 80);
  });

  it('one pod per workload per round: a sibling of a chosen pod is held with workload-cooldown', () => {
    const pods = [pod({ name: 'web-1', usageBytes: GiB }), pod({ name: 'web-2', usageBytes: GiB, workload: 'shop/Deployment/web-1' }), pod({ name: 'api-1', usageBytes: GiB / 2 })];
    const p = run({ pods });
    assert.deepEqual(names(p.evictions), ['shop/web-1', 'shop/api-1']);
    assert.deepEqual(p.protected, [{ namespace: 'shop', name: 'web-2', reasons: ['workload-cooldown'] }]);
  });

  it('booking: the second pod finds no room once the first is booked (no-room)', () => {
    const otherNodes = [node({ name: 'n1', allocatableBytes: 3 * GiB })];
    const pods = [pod({ name: 'a', usageBytes: GiB, requestBytes: 2 * GiB }), pod({ name: 'b', usageBytes: GiB, requestBytes: 2 * GiB }), pod({ name: 'c', usageBytes: GiB / 2, requestBytes: GiB / 2 })];
    const p = run({ otherNodes, pods }, { minTargetNodes: 1 });
    assert.deepEqual(names(p.evictions), ['shop/a', 'shop/c']);
    assert.deepEqual(p.protected, [{ namespace: 'shop', name: 'b', reasons: ['no-room'] }]);
    assert.deepEqual(p.evictions.map((e) => e.targets), [['n1'], ['n1']]);
  });

  it('fewer than min_target_nodes nodes: nothing can go, the target is not reached', () => {
    const p = run({ otherNodes: [node({ name: 'n1' })], pods: [pod({ name: 'a' })] });
    assert.deepEqual(p.evictions, []);
    assert.deepEqual(p.protected, [{ namespace: 'shop', name: 'a', reasons: ['no-room'] }]);
    assert.equal(p.reachedTarget, false);
  });

  it('protected pods also carry the reasons of the round: a chosen sibling and no room', () => {
    const pods = [
      pod({ name: 'web-1', labels: { app: 'web' } }),
      pod({ name: 'web-2', labels: { app: 'web' }, workload: 'shop/Deployment/web-1', annotations: { 'headroom.dev/evict': 'never' } }),
      pod({
        name: 'agent-x',
        owner: { kind: 'DaemonSet', name: 'agent' },
        workload: 'shop/DaemonSet/agent',
        requiredNodeAffinity: [{ matchExpressions: [], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n0'] }] }],
      }),
    ];
    const p = run({ pods });
    assert.deepEqual(names(p.evictions), ['shop/web-1']);
    assert.deepEqual(p.protected, [
      { namespace: 'shop', name: 'agent-x', reasons: ['daemonset', 'no-room'] },
      { namespace: 'shop', name: 'web-2', reasons: ['opted-out', 'workload-cooldown'] },
    ]);
  });

  it('considers only Running and Pending pods of the node that are not terminating', () => {
    const pods = [
      pod({ name: 'running' }),
      pod({ name: 'pending', phase: 'Pending', usageBytes: 0, startTime: null, creationTimestamp: ago(1) }),
      pod({ name: 'done', phase: 'Succeeded' }),
      pod({ name: 'failed', phase: 'Failed' }),
      pod({ name: 'unknown', phase: 'Unknown' }),
      pod({ name: 'going', terminating: true }),
      pod({ name: 'elsewhere', nodeName: 'n1' }),
    ];
    const p = run({ pods }, { targetUsage: 99 });
    assert.deepEqual(names(p.candidates).sort(), ['shop/pending', 'shop/running']);
    assert.deepEqual(p.protected, []);
  });

  it('reports the node\'s memory in bytes and percent of capacity', () => {
    const p = run({ pods: [pod({ name: 'a', usageBytes: 2.2 * GiB })] });
    assert.deepEqual(p.memory, { totalBytes: 16 * GiB, usedBytes: 15 * GiB, usage: 93.75, target: 80, projectedUsage: 80 });
    assert.equal(p.reachedTarget, true);
  });

  it('a node of unknown capacity evicts nothing', () => {
    const p = run({ node: node({ name: 'n0', capacityBytes: 0, usedBytes: 15 * GiB }), pods: [pod({ name: 'a' })] });
    assert.deepEqual([p.evictions, p.memory.usage, p.reachedTarget], [[], 0, true]);
  });

  it('reports score, scores, sizes and targets for each planned pod', () => {
    const p = run({ pods: [pod({ name: 'a', qosClass: 'BestEffort', usageBytes: 1.6 * GiB, requestBytes: 300 * MiB, startTime: ago(10), replicas: 4 })] });
    const [a] = p.evictions;
    assert.ok(a);
    assert.deepEqual({ ...a, score: Math.round(a.score * 1e9) / 1e9 }, {
      namespace: 'shop',
      name: 'a',
      score: 73,
      scores: { qos: 100, memory: 10, age: 100, replicas: 100 },
      memoryBytes: 1.6 * GiB,
      requestBytes: 300 * MiB,
      targets: ['n1', 'n2'],
    });
  });

  it('does not modify its input', () => {
    const f = facts({ pods: [pod({ name: 'a' }), pod({ name: 'b' })] });
    const before = structuredClone(f);
    plan(deepFreeze(f), policy(), NOW);
    assert.deepEqual(f, before);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
