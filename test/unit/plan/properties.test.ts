/**
 * Properties of `plan` over random clusters (fast-check). Placement is checked against a naive
 * model written from the contract's words (filter every node, sort them all), replaying the
 * bookings of the chosen pods, so the fast placer must agree with the obvious one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Facts, NodeFacts, PdbFacts, PodFacts, Taint, Toleration } from '../../../src/facts/types.ts';
import { matchesNodeSelector, matchesRequiredAffinity, toleratesHardTaints } from '../../../src/plan/match.ts';
import { isOnNode, plan } from '../../../src/plan/plan.ts';
import type { Policy } from '../../../src/plan/policy.ts';
import { protector } from '../../../src/plan/protect.ts';
import type { PlannedPod } from '../../../src/plan/types.ts';
import { MiB, NOW, ago, policy as defaultPolicy } from './builders.ts';

const GPU_TAINT: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };
const EVICT_TAINT: Taint = { key: 'maintenance', value: '', effect: 'NoExecute' };
const SOFT_TAINT: Taint = { key: 'spot', value: '', effect: 'PreferNoSchedule' };
const GPU_TOL: Toleration = { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' };
const ALL_TOL: Toleration = { key: '', operator: 'Exists', value: '', effect: '' };

const nodeArb = (name: string): fc.Arbitrary<NodeFacts> =>
  fc
    .record({
      capacityMiB: fc.oneof({ arbitrary: fc.integer({ min: 8 * 1024, max: 64 * 1024 }), weight: 12 }, { arbitrary: fc.constant(0), weight: 1 }),
      allocatableShare: fc.double({ min: 0.8, max: 1, noNaN: true }),
      requestedShare: fc.oneof({ arbitrary: fc.double({ min: 0, max: 0.8, noNaN: true }), weight: 4 }, { arbitrary: fc.double({ min: 0.8, max: 1.1, noNaN: true }), weight: 1 }),
      usedShare: fc.oneof({ arbitrary: fc.double({ min: 0, max: 0.7, noNaN: true }), weight: 4 }, { arbitrary: fc.double({ min: 0.7, max: 1.1, noNaN: true }), weight: 1 }),
      ready: fc.oneof({ arbitrary: fc.constant(true), weight: 6 }, { arbitrary: fc.constant(false), weight: 1 }),
      unschedulable: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, { arbitrary: fc.constant(true), weight: 1 }),
      disk: fc.constantFrom('ssd', 'hdd'),
      taints: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.subarray([GPU_TAINT, EVICT_TAINT, SOFT_TAINT]), weight: 1 }),
    })
    .map((n) => {
      const capacityBytes = n.capacityMiB * MiB;
      const allocatableBytes = Math.floor(n.capacityMiB * n.allocatableShare) * MiB;
      return {
        name,
        capacityBytes,
        allocatableBytes,
        requestedBytes: Math.floor((allocatableBytes / MiB) * n.requestedShare) * MiB,
        usedBytes: Math.floor(n.capacityMiB * n.usedShare) * MiB,
        ready: n.ready,
        unschedulable: n.unschedulable,
        labels: { disk: n.disk, 'kubernetes.io/hostname': name },
        taints: n.taints,
      };
    });

const podArb = (name: string): fc.Arbitrary<PodFacts> =>
  fc
    .record({
      namespace: fc.constantFrom('shop', 'shop', 'batch', 'kube-system'),
      ownerKind: fc.constantFrom('ReplicaSet', 'ReplicaSet', 'StatefulSet', 'DaemonSet', null),
      workload: fc.constantFrom('web', 'api', 'db', 'cache', 'worker'),
      replicas: fc.option(fc.integer({ min: 0, max: 6 })),
      qosClass: fc.constantFrom('Guaranteed', 'Burstable', 'BestEffort'),
      phase: fc.constantFrom('Running', 'Running', 'Running', 'Pending', 'Succeeded'),
      terminating: fc.oneof({ arbitrary: fc.constant(false), weight: 8 }, { arbitrary: fc.constant(true), weight: 1 }),
      onNode: fc.oneof({ arbitrary: fc.constant(true), weight: 8 }, { arbitrary: fc.constant(false), weight: 1 }),
      usageMiB: fc.integer({ min: 0, max: 4000 }),
      requestMiB: fc.integer({ min: 0, max: 4000 }),
      ageMinutes: fc.option(fc.integer({ min: -10, max: 3000 })),
      app: fc.option(fc.constantFrom('a', 'b')),
      optedOut: fc.oneof({ arbitrary: fc.constant(false), weight: 8 }, { arbitrary: fc.constant(true), weight: 1 }),
      priorityClassName: fc.option(fc.constantFrom('system-node-critical', 'high'), { freq: 6 }),
      tolerations: fc.subarray([GPU_TOL, ALL_TOL]),
      wantsSsd: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
      affinityHdd: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
    })
    .map(
      (p): PodFacts => ({
        namespace: p.namespace,
        name,
        labels: p.app === null ? {} : { app: p.app },
        annotations: p.optedOut ? { 'headroom.dev/evict': 'never' } : {},
        phase: p.phase,
        terminating: p.terminating,
        nodeName: p.onNode ? 'target' : 'node-0',
        qosClass: p.qosClass,
        priorityClassName: p.priorityClassName,
        priority: null,
        owner: p.ownerKind === null ? null : { kind: p.ownerKind, name: p.workload },
        workload: p.ownerKind === null ? null : `${p.namespace}/${p.ownerKind}/${p.workload}`,
        replicas: p.replicas,
        startTime: p.ageMinutes === null ? null : ago(p.ageMinutes),
        creationTimestamp: null,
        usageBytes: p.usageMiB * MiB,
        requestBytes: p.requestMiB * MiB,
        tolerations: p.tolerations,
        nodeSelector: p.wantsSsd ? { disk: 'ssd' } : {},
        requiredNodeAffinity: p.affinityHdd ? [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }], matchFields: [] }] : null,
      }),
    );

const pdbArb: fc.Arbitrary<PdbFacts> = fc.record({
  namespace: fc.constantFrom('shop', 'batch'),
  name: fc.constantFrom('p1', 'p2'),
  selector: fc.oneof(fc.constant(null), fc.constant({ matchLabels: {}, matchExpressions: [] }), fc.constantFrom('a', 'b').map((app) => ({ matchLabels: { app }, matchExpressions: [] }))),
  disruptionsAllowed: fc.integer({ min: 0, max: 2 }),
});

const factsArb: fc.Arbitrary<Facts> = fc
  .record({
    capacityMiB: fc.oneof({ arbitrary: fc.integer({ min: 8 * 1024, max: 32 * 1024 }), weight: 12 }, { arbitrary: fc.constant(0), weight: 1 }),
    usedShare: fc.double({ min: 0.5, max: 1.2, noNaN: true }),
    podCount: fc.integer({ min: 0, max: 25 }),
    nodeCount: fc.oneof({ arbitrary: fc.integer({ min: 3, max: 14 }), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 1 }),
    pdbs: fc.array(pdbArb, { maxLength: 3 }),
    recent: fc.dictionary(fc.constantFrom('shop/ReplicaSet/web', 'shop/StatefulSet/db', 'batch/ReplicaSet/worker'), fc.integer({ min: -2, max: 20 }).map(ago)),
  })
  .chain((f) =>
    fc.record({
      pods: fc.tuple(...Array.from({ length: f.podCount }, (_, i) => podArb(`pod-${i}`))),
      otherNodes: fc.tuple(...Array.from({ length: f.nodeCount }, (_, i) => nodeArb(`node-${i}`))),
    }).map(({ pods, otherNodes }) => ({
      node: {
        name: 'target',
        capacityBytes: f.capacityMiB * MiB,
        allocatableBytes: f.capacityMiB * MiB,
        requestedBytes: 0,
        usedBytes: Math.floor(f.capacityMiB * f.usedShare) * MiB,
        ready: true,
        unschedulable: false,
        labels: {},
        taints: [],
      },
      pods,
      pdbs: f.pdbs,
      otherNodes,
      recentWorkloadEvictions: f.recent,
    })),
  );

const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    targetUsage: fc.integer({ min: 50, max: 95 }),
    maxPodsPerRound: fc.integer({ min: 1, max: 5 }),
    minTargetNodes: fc.integer({ min: 1, max: 3 }),
    targetNodeMaxUsage: fc.integer({ min: 60, max: 100 }),
    respectPdb: fc.boolean(),
    listedTargets: fc.integer({ min: 1, max: 10 }),
    workloadCooldownSeconds: fc.constantFrom(0, 300, 900),
    excludedNodes: fc.subarray(['node-0', 'node-3']),
    weights: fc.constantFrom({ qos: 0.4, memory: 0.3, age: 0.2, replicas: 0.1 }, { qos: 0, memory: 1, age: 0, replicas: 0 }, { qos: 0.5, memory: 0, age: 0.5, replicas: 0 }),
  })
  .map((p) => defaultPolicy(p));

/** The contract's placement, spelled out: filter every node, sort them all. */
function naiveTargets(pod: PodFacts, nodes: readonly NodeFacts[], own: string, policy: Policy): NodeFacts[] {
  return nodes
    .filter(
      (n) =>
        n.name !== own &&
        n.ready &&
        !n.unschedulable &&
        !policy.excludedNodes.includes(n.name) &&
        n.capacityBytes > 0 &&
        toleratesHardTaints(pod.tolerations, n.taints) &&
        matchesNodeSelector(pod.nodeSelector, n.labels) &&
        matchesRequiredAffinity(pod.requiredNodeAffinity, n.name, n.labels) &&
        n.requestedBytes + pod.requestBytes <= n.allocatableBytes &&
        ((n.usedBytes + pod.usageBytes) / n.capacityBytes) * 100 <= policy.targetNodeMaxUsage,
    )
    .sort((a, b) => b.allocatableBytes - b.requestedBytes - (a.allocatableBytes - a.requestedBytes) || (a.name < b.name ? -1 : 1));
}

const key = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;

/** A reproducible shuffle from a fast-check seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const RUNS = { numRuns: 500 };

describe('plan properties over random clusters', () => {
  it('every pod of the node is either a candidate or protected, once; a chosen pod is never protected', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const p = plan(facts, policy, NOW);
        const onNode = facts.pods.filter((x) => isOnNode(x, 'target')).map(key).sort();
        assert.deepEqual([...p.candidates.map(key), ...p.protected.map(key)].sort(), onNode);
        assert.deepEqual(p.evictions, p.candidates.slice(0, p.evictions.length));
        const held = new Set(p.protected.map(key));
        const protect = protector(facts, policy, NOW);
        for (const e of p.evictions) {
          assert.ok(!held.has(key(e)));
          const pod = facts.pods.find((x) => key(x) === key(e));
          assert.ok(pod);
          assert.deepEqual(protect(pod), [], `${key(e)} has no protection of its own`);
        }
        assert.ok(p.protected.every((x) => x.reasons.length > 0));
      }),
      RUNS,
    );
  });

  it('targets match the naive model after each booking, and every chosen pod has at least min_target_nodes', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const p = plan(facts, policy, NOW);
        const nodes = facts.otherNodes.map((n) => ({ ...n }));
        const chosen = new Set(p.evictions.map(key));
        const limit = Math.max(policy.listedTargets, policy.minTargetNodes);
        for (const c of p.candidates) {
          const pod = facts.pods.find((x) => key(x) === key(c)) as PodFacts;
          const fits = naiveTargets(pod, nodes, 'target', policy);
          assert.deepEqual(c.targets, fits.slice(0, limit).map((n) => n.name), `targets of ${key(c)}`);
          assert.ok(c.targets.length >= policy.minTargetNodes);
          if (!chosen.has(key(c))) continue;
          const at = nodes.findIndex((n) => n.name === fits[0]?.name);
          const booked = nodes[at] as NodeFacts;
          nodes[at] = { ...booked, requestedBytes: booked.requestedBytes + pod.requestBytes, usedBytes: booked.usedBytes + pod.usageBytes };
        }
      }),
      RUNS,
    );
  });

  it('never more than max_pods_per_round pods, nor two of one workload', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const p = plan(facts, policy, NOW);
        assert.ok(p.evictions.length <= policy.maxPodsPerRound);
        const workloads = p.evictions.map((e) => facts.pods.find((x) => key(x) === key(e))?.workload);
        assert.ok(workloads.every((w) => typeof w === 'string'));
        assert.equal(new Set(workloads).size, workloads.length);
      }),
      RUNS,
    );
  });

  it('projected usage is (used - chosen pods\' usage) / capacity * 100, and reachedTarget says whether it is at or under the target', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const p = plan(facts, policy, NOW);
        const { capacityBytes, usedBytes } = facts.node;
        const freed = p.evictions.reduce((sum: number, e: PlannedPod) => sum + e.memoryBytes, 0);
        const expected = capacityBytes > 0 ? (Math.max(0, usedBytes - freed) / capacityBytes) * 100 : 0;
        assert.equal(p.memory.projectedUsage, expected);
        assert.equal(p.reachedTarget, expected <= policy.targetUsage);
        if (p.memory.usage <= policy.targetUsage) assert.deepEqual(p.evictions, []);
        if (!p.reachedTarget) assert.ok(p.evictions.length === policy.maxPodsPerRound || p.evictions.length === p.candidates.length);
      }),
      RUNS,
    );
  });

  it('candidates are in plan order: score, then memory, then namespace/name', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const c = plan(facts, policy, NOW).candidates;
        for (let i = 1; i < c.length; i++) {
          const a = c[i - 1] as PlannedPod;
          const b = c[i] as PlannedPod;
          const ordered = a.score > b.score || (a.score === b.score && (a.memoryBytes > b.memoryBytes || (a.memoryBytes === b.memoryBytes && key(a) < key(b))));
          assert.ok(ordered, `${key(a)} before ${key(b)}`);
        }
      }),
      RUNS,
    );
  });

  it('the same input gives the same plan, whatever the order of pods, nodes, PDBs and evictions', () => {
    fc.assert(
      fc.property(factsArb, policyArb, fc.integer(), (facts, policy, seed) => {
        const first = plan(facts, policy, NOW);
        assert.deepEqual(plan(facts, policy, NOW), first);
        const reordered: Facts = {
          ...facts,
          pods: shuffled(facts.pods, seed),
          otherNodes: shuffled(facts.otherNodes, seed + 1),
          pdbs: shuffled(facts.pdbs, seed + 2),
          recentWorkloadEvictions: Object.fromEntries(shuffled(Object.entries(facts.recentWorkloadEvictions), seed + 3)),
        };
        assert.deepEqual(plan(reordered, policy, NOW), first);
      }),
      RUNS,
    );
  });
});
