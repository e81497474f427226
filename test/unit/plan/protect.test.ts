import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Facts, PodFacts } from '../../../src/facts/types.ts';
import type { Policy } from '../../../src/plan/policy.ts';
import { orderReasons, protector } from '../../../src/plan/protect.ts';
import type { ReasonCode } from '../../../src/plan/types.ts';
import { NOW, ago, facts, pod, policy } from './builders.ts';

const webPdb = (disruptionsAllowed: number): Facts['pdbs'][number] => ({
  namespace: 'shop',
  name: 'web',
  selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
  disruptionsAllowed,
});

describe('protector: the rules that depend on the pod alone, every reason reported', () => {
  const rows: ReadonlyArray<{ description: string; pod: PodFacts; facts?: Partial<Facts>; policy?: Partial<Policy>; reasons: ReasonCode[] }> = [
    { description: 'an ordinary Deployment pod', pod: pod({ name: 'web-1' }), reasons: [] },
    { description: 'built-in namespace kube-system', pod: pod({ name: 'x', namespace: 'kube-system' }), reasons: ['protected-namespace'] },
    { description: 'built-in namespace monitoring', pod: pod({ name: 'x', namespace: 'monitoring' }), reasons: ['protected-namespace'] },
    { description: 'configured namespace', pod: pod({ name: 'x', namespace: 'payment-system' }), policy: { protectedNamespaces: ['payment-system'] }, reasons: ['protected-namespace'] },
    { description: 'label key=value matches', pod: pod({ name: 'x', labels: { 'business-critical': 'true' } }), policy: { protectedLabels: ['business-critical=true'] }, reasons: ['protected-label'] },
    { description: 'label key=value with another value', pod: pod({ name: 'x', labels: { 'business-critical': 'false' } }), policy: { protectedLabels: ['business-critical=true'] }, reasons: [] },
    { description: 'label key alone matches any value', pod: pod({ name: 'x', labels: { environment: 'staging' } }), policy: { protectedLabels: ['environment'] }, reasons: ['protected-label'] },
    { description: 'label key=(empty) matches an empty value only', pod: pod({ name: 'x', labels: { pinned: '' } }), policy: { protectedLabels: ['pinned='] }, reasons: ['protected-label'] },
    { description: 'name prefix', pod: pod({ name: 'redis-0' }), policy: { protectedPrefixes: ['redis-', 'mysql-'] }, reasons: ['protected-prefix'] },
    { description: 'prefix must be a prefix', pod: pod({ name: 'my-redis-0' }), policy: { protectedPrefixes: ['redis-'] }, reasons: [] },
    { description: 'headroom opt-out annotation', pod: pod({ name: 'x', annotations: { 'headroom.dev/evict': 'never' } }), reasons: ['opted-out'] },
    { description: 'headroom annotation with another value', pod: pod({ name: 'x', annotations: { 'headroom.dev/evict': 'always' } }), reasons: [] },
    { description: 'cluster-autoscaler safe-to-evict false', pod: pod({ name: 'x', annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } }), reasons: ['opted-out'] },
    { description: 'cluster-autoscaler safe-to-evict true', pod: pod({ name: 'x', annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } }), reasons: [] },
    { description: 'karpenter do-not-disrupt', pod: pod({ name: 'x', annotations: { 'karpenter.sh/do-not-disrupt': 'true' } }), reasons: ['opted-out'] },
    {
      description: 'mirror pod (owned by its Node)',
      pod: pod({ name: 'etcd-n0', annotations: { 'kubernetes.io/config.mirror': 'abc' }, owner: { kind: 'Node', name: 'n0' }, workload: 'shop/Node/n0' }),
      reasons: ['mirror-pod'],
    },
    { description: 'DaemonSet pod', pod: pod({ name: 'agent-x', owner: { kind: 'DaemonSet', name: 'agent' }, workload: 'shop/DaemonSet/agent' }), reasons: ['daemonset'] },
    { description: 'bare pod', pod: pod({ name: 'debug', owner: null, workload: null }), reasons: ['no-controller'] },
    { description: 'system-node-critical', pod: pod({ name: 'x', priorityClassName: 'system-node-critical' }), reasons: ['critical-priority'] },
    { description: 'system-cluster-critical', pod: pod({ name: 'x', priorityClassName: 'system-cluster-critical' }), reasons: ['critical-priority'] },
    { description: 'a critical priority value without the class', pod: pod({ name: 'x', priority: 2_000_001_000 }), reasons: ['critical-priority'] },
    { description: 'an ordinary priority class', pod: pod({ name: 'x', priorityClassName: 'high', priority: 1_000_000 }), reasons: [] },
    { description: 'PDB allowing no disruption', pod: pod({ name: 'web-1', labels: { app: 'web' } }), facts: { pdbs: [webPdb(0)] }, reasons: ['pdb'] },
    { description: 'PDB allowing one disruption', pod: pod({ name: 'web-1', labels: { app: 'web' } }), facts: { pdbs: [webPdb(1)] }, reasons: [] },
    { description: 'PDB of another namespace', pod: pod({ name: 'web-1', namespace: 'other', labels: { app: 'web' } }), facts: { pdbs: [webPdb(0)] }, reasons: [] },
    { description: 'PDB not matching the labels', pod: pod({ name: 'api-1', labels: { app: 'api' } }), facts: { pdbs: [webPdb(0)] }, reasons: [] },
    {
      description: 'PDB with an empty selector holds every pod of its namespace',
      pod: pod({ name: 'api-1', labels: { app: 'api' } }),
      facts: { pdbs: [{ ...webPdb(0), selector: { matchLabels: {}, matchExpressions: [] } }] },
      reasons: ['pdb'],
    },
    {
      description: 'PDB with matchExpressions NotIn',
      pod: pod({ name: 'api-1', labels: { app: 'api' } }),
      facts: { pdbs: [{ ...webPdb(0), selector: { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } }] },
      reasons: ['pdb'],
    },
    { description: 'PDB with a null selector holds nothing', pod: pod({ name: 'web-1', labels: { app: 'web' } }), facts: { pdbs: [{ ...webPdb(0), selector: null }] }, reasons: [] },
    { description: 'respect_pdb false ignores PDBs', pod: pod({ name: 'web-1', labels: { app: 'web' } }), facts: { pdbs: [webPdb(0)] }, policy: { respectPdb: false }, reasons: [] },
    {
      description: 'a Pending pod is not held by its PDB (the Eviction API ignores PDBs for it)',
      pod: pod({ name: 'web-1', labels: { app: 'web' }, phase: 'Pending' }),
      facts: { pdbs: [webPdb(0)] },
      reasons: [],
    },
    { description: 'workload evicted 2 minutes ago', pod: pod({ name: 'web-1' }), facts: { recentWorkloadEvictions: { 'shop/Deployment/web-1': ago(2) } }, reasons: ['workload-cooldown'] },
    { description: 'workload evicted exactly the cooldown ago is free', pod: pod({ name: 'web-1' }), facts: { recentWorkloadEvictions: { 'shop/Deployment/web-1': ago(5) } }, reasons: [] },
    { description: 'workload evicted 10 minutes ago', pod: pod({ name: 'web-1' }), facts: { recentWorkloadEvictions: { 'shop/Deployment/web-1': ago(10) } }, reasons: [] },
    {
      description: 'a configured cooldown of 15 minutes',
      pod: pod({ name: 'web-1' }),
      facts: { recentWorkloadEvictions: { 'shop/Deployment/web-1': ago(10) } },
      policy: { workloadCooldownSeconds: 900 },
      reasons: ['workload-cooldown'],
    },
    { description: 'an eviction time in the future counts as recent', pod: pod({ name: 'web-1' }), facts: { recentWorkloadEvictions: { 'shop/Deployment/web-1': ago(-3) } }, reasons: ['workload-cooldown'] },
    { description: 'another workload\'s eviction', pod: pod({ name: 'web-1' }), facts: { recentWorkloadEvictions: { 'shop/Deployment/api': ago(1) } }, reasons: [] },
    {
      description: 'every reason at once, in the contract\'s order',
      pod: pod({
        name: 'redis-0',
        namespace: 'kube-system',
        labels: { app: 'web', 'business-critical': 'true' },
        annotations: { 'headroom.dev/evict': 'never', 'kubernetes.io/config.mirror': 'x' },
        owner: null,
        workload: null,
        priorityClassName: 'system-node-critical',
      }),
      facts: { pdbs: [{ ...webPdb(0), namespace: 'kube-system' }] },
      policy: { protectedLabels: ['business-critical=true'], protectedPrefixes: ['redis-'] },
      reasons: ['protected-namespace', 'protected-label', 'protected-prefix', 'opted-out', 'mirror-pod', 'no-controller', 'critical-priority', 'pdb'],
    },
  ];
  for (const row of rows) {
    it(row.description, () => {
      const protect = protector(facts(row.facts), policy(row.policy), NOW);
      assert.deepEqual(protect(row.pod), row.reasons);
    });
  }
});

describe('orderReasons', () => {
  it('puts reasons in the contract\'s order, once each', () => {
    assert.deepEqual(orderReasons(['no-room', 'pdb', 'protected-namespace', 'pdb']), ['protected-namespace', 'pdb', 'no-room']);
  });
});
