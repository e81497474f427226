import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromList, type Usage } from '../../../src/facts/from-list.ts';
import type { Facts, PodFacts } from '../../../src/facts/types.ts';

const Ki = 1024;
const Mi = 2 ** 20;
const GiB = 2 ** 30;
type List = Record<string, unknown> & { items: Array<Record<string, unknown>> };
const fixture = (): List => JSON.parse(readFileSync(new URL('../../fixtures/cluster-small.json', import.meta.url), 'utf8')) as List;

const usage: Usage = {
  nodes: { 'worker-1': 14.5 * GiB, 'worker-2': 6 * GiB },
  pods: { 'shop/web-7d9c8b6f5-abcde': 900 * Mi, 'shop/redis-0': 800 * Mi, 'shop/web-5b8c7d6e4-old01': 100 * Mi, 'shop/web-7d9c8b6f5-klmno': 1 * GiB },
};

function build(list: unknown = fixture(), u: Usage = usage, node = 'worker-1'): Facts {
  const r = fromList(list, u, node);
  if (!r.ok) throw new Error(`${r.error}: ${r.message}`);
  return r.facts;
}

function podNamed(facts: Facts, name: string): PodFacts {
  const p = facts.pods.find((x) => x.name === name);
  assert.ok(p, `pod ${name} in facts`);
  return p;
}

describe('fromList on a realistic kubectl List', () => {
  const facts = build();

  it('reads the target node: capacity, allocatable, usage from the table, requests of its non-terminal pods', () => {
    const { node } = facts;
    assert.equal(node.name, 'worker-1');
    assert.equal(node.capacityBytes, 16374584 * Ki);
    assert.equal(node.allocatableBytes, 16272184 * Ki);
    assert.equal(node.usedBytes, 14.5 * GiB);
    assert.equal(node.ready, true);
    assert.equal(node.unschedulable, false);
    // web x2 (512) + redis 1024 + api 1216 + log-agent 64 + edge 32 + ingress 90 + cache-warmer 128 + coredns 70 + pricing 256
    // + the terminating old web pod 512 (the scheduler still counts it); the Succeeded job pod counts nothing.
    assert.equal(node.requestedBytes, (512 * 2 + 1024 + 1216 + 64 + 32 + 90 + 128 + 70 + 256 + 512) * Mi);
  });

  it('lists every pod bound to the node, in any phase, and no other', () => {
    assert.equal(facts.pods.length, 15);
    assert.ok(facts.pods.every((p) => p.nodeName === 'worker-1'));
    assert.equal(podNamed(facts, 'report-28811460-b2c3d').phase, 'Succeeded');
    assert.equal(podNamed(facts, 'web-5b8c7d6e4-old01').terminating, true);
    assert.equal(podNamed(facts, 'thumbnailer-7c5b9d8f6-t1u2v').phase, 'Pending');
  });

  const owners: ReadonlyArray<{ description: string; pod: string; workload: string | null; replicas: number | null; owner: string | null }> = [
    { description: 'a Deployment through its ReplicaSet', pod: 'web-7d9c8b6f5-abcde', workload: 'shop/Deployment/web', replicas: 3, owner: 'ReplicaSet/web-7d9c8b6f5' },
    { description: 'a StatefulSet', pod: 'redis-0', workload: 'shop/StatefulSet/redis', replicas: 2, owner: 'StatefulSet/redis' },
    { description: 'a DaemonSet', pod: 'log-agent-x7k2p', workload: 'ops/DaemonSet/log-agent', replicas: null, owner: 'DaemonSet/log-agent' },
    { description: 'a Job not in the List', pod: 'report-28811520-7x9kq', workload: 'batch/Job/report-28811520', replicas: null, owner: 'Job/report-28811520' },
    { description: 'a mirror pod owned by its Node', pod: 'edge-agent-worker-1', workload: 'edge/Node/worker-1', replicas: null, owner: 'Node/worker-1' },
    { description: 'a bare pod', pod: 'debug-shell', workload: null, replicas: null, owner: null },
    { description: 'an old ReplicaSet scaled to zero', pod: 'web-5b8c7d6e4-old01', workload: 'shop/Deployment/web', replicas: 0, owner: 'ReplicaSet/web-5b8c7d6e4' },
  ];
  for (const row of owners) {
    it(`resolves the workload of ${row.description}`, () => {
      const p = podNamed(facts, row.pod);
      assert.equal(p.workload, row.workload);
      assert.equal(p.replicas, row.replicas);
      assert.equal(p.owner === null ? null : `${p.owner.kind}/${p.owner.name}`, row.owner);
    });
  }

  const pods: ReadonlyArray<{ description: string; pod: string; check: (p: PodFacts) => void }> = [
    { description: 'QoS from status.qosClass', pod: 'redis-0', check: (p) => assert.equal(p.qosClass, 'Guaranteed') },
    { description: 'QoS computed when the status lacks it (limits only)', pod: 'pricing-6d8f7c9b5-p3q4r', check: (p) => assert.equal(p.qosClass, 'Guaranteed') },
    { description: 'QoS computed when the status lacks it (nothing set)', pod: 'thumbnailer-7c5b9d8f6-t1u2v', check: (p) => assert.equal(p.qosClass, 'BestEffort') },
    { description: 'request with sidecar, init container and overhead', pod: 'api-5f6d7c8b9-qrstu', check: (p) => assert.equal(p.requestBytes, 1216 * Mi) },
    { description: 'request defaulted from the limit', pod: 'pricing-6d8f7c9b5-p3q4r', check: (p) => assert.equal(p.requestBytes, 256 * Mi) },
    { description: 'usage from the table', pod: 'web-7d9c8b6f5-abcde', check: (p) => assert.equal(p.usageBytes, 900 * Mi) },
    { description: 'usage missing counts 0', pod: 'api-5f6d7c8b9-qrstu', check: (p) => assert.equal(p.usageBytes, 0) },
    { description: 'priority class and priority', pod: 'ingress-nginx-controller-6b7f9c5d4-m2n3p', check: (p) => assert.deepEqual([p.priorityClassName, p.priority], ['system-cluster-critical', 2000000000]) },
    { description: 'annotations kept (mirror)', pod: 'edge-agent-worker-1', check: (p) => assert.ok(Object.hasOwn(p.annotations, 'kubernetes.io/config.mirror')) },
    { description: 'labels kept', pod: 'web-7d9c8b6f5-abcde', check: (p) => assert.deepEqual(p.labels, { app: 'web', 'pod-template-hash': '7d9c8b6f5' }) },
    { description: 'start time and creation time', pod: 'web-7d9c8b6f5-abcde', check: (p) => assert.deepEqual([p.startTime, p.creationTimestamp], ['2026-11-27T11:30:00Z', '2026-11-27T11:30:00Z']) },
    {
      description: 'tolerations (an omitted operator is Equal)',
      pod: 'web-7d9c8b6f5-abcde',
      check: (p) => assert.deepEqual(p.tolerations[0], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', value: '', effect: 'NoExecute' }),
    },
    {
      description: 'required node affinity of a DaemonSet pod',
      pod: 'log-agent-x7k2p',
      check: (p) => assert.deepEqual(p.requiredNodeAffinity, [{ matchExpressions: [], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }]),
    },
    { description: 'no affinity is null', pod: 'redis-0', check: (p) => assert.equal(p.requiredNodeAffinity, null) },
  ];
  for (const row of pods) it(`reads ${row.description}`, () => row.check(podNamed(facts, row.pod)));

  it('reads every other node with its requests, usage, readiness, cordon and taints', () => {
    const byName = new Map(facts.otherNodes.map((n) => [n.name, n]));
    assert.deepEqual([...byName.keys()].sort(), ['cp-1', 'worker-2', 'worker-3', 'worker-4']);
    assert.equal(byName.get('worker-2')?.requestedBytes, (512 + 1024 + 64) * Mi);
    assert.equal(byName.get('worker-2')?.usedBytes, 6 * GiB, 'from usage.nodes');
    assert.equal(byName.get('worker-3')?.usedBytes, 0, 'no node usage and no pod usage');
    assert.equal(byName.get('worker-4')?.unschedulable, true);
    assert.deepEqual(byName.get('cp-1')?.taints, [{ key: 'node-role.kubernetes.io/control-plane', value: '', effect: 'NoSchedule' }]);
    assert.equal(byName.get('worker-3')?.labels['disktype'], 'ssd');
  });

  it('reads PodDisruptionBudgets with matchLabels and matchExpressions', () => {
    assert.deepEqual(facts.pdbs, [
      { namespace: 'shop', name: 'web', selector: { matchLabels: { app: 'web' }, matchExpressions: [] }, disruptionsAllowed: 1 },
      { namespace: 'shop', name: 'redis', selector: { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'In', values: ['redis'] }] }, disruptionsAllowed: 0 },
    ]);
  });

  it('has no recent workload evictions (a snapshot knows none)', () => {
    assert.deepEqual(facts.recentWorkloadEvictions, {});
  });
});

describe('fromList usage rules', () => {
  it('a node without usage counts the sum of its non-terminal pods\' usage (terminating included)', () => {
    const facts = build(fixture(), { pods: usage.pods ?? {} });
    assert.equal(facts.node.usedBytes, (900 + 800 + 100) * Mi);
    assert.equal(facts.otherNodes.find((n) => n.name === 'worker-2')?.usedBytes, GiB);
  });

  it('no usage at all: everything counts 0', () => {
    const facts = build(fixture(), {});
    assert.equal(facts.node.usedBytes, 0);
    assert.ok(facts.pods.every((p) => p.usageBytes === 0));
  });
});

describe('fromList results that are not facts', () => {
  it('an unknown node is unknown-node', () => {
    const r = fromList(fixture(), usage, 'worker-9');
    assert.deepEqual(r, { ok: false, error: 'unknown-node', message: 'node "worker-9" is not in the List' });
  });

  const withItem = (item: unknown): unknown => ({ kind: 'List', items: [...fixture().items, item] });
  const nodeItem = (status: unknown): unknown => ({ kind: 'Node', metadata: { name: 'odd' }, status });
  const podItem = (patch: Record<string, unknown>): unknown => ({ kind: 'Pod', metadata: { name: 'odd', namespace: 'x' }, spec: { nodeName: 'worker-2', containers: [] }, ...patch });
  const pdbItem = (selector: unknown): unknown => ({ kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', metadata: { name: 'p', namespace: 'x' }, spec: { selector } });
  const invalid: ReadonlyArray<{ description: string; list: unknown; u?: Usage; path: RegExp }> = [
    { description: 'not an object', list: 'nodes', path: /^cluster: expected a Kubernetes List/ },
    { description: 'no items array', list: { kind: 'List', items: {} }, path: /^cluster: / },
    { description: 'an item that is not an object', list: withItem(42), path: /^cluster\.items\[\d+\]: expected an object/ },
    { description: 'a node memory that is not a quantity', list: withItem(nodeItem({ capacity: { memory: '16 GB' } })), path: /\.status\.capacity\.memory: expected a quantity/ },
    { description: 'a node without a name', list: withItem({ kind: 'Node', metadata: {} }), path: /\.metadata\.name: expected a non-empty string/ },
    { description: 'a duplicate node', list: withItem({ kind: 'Node', metadata: { name: 'worker-2' } }), path: /unique node name/ },
    { description: 'a label that is not a string', list: withItem(podItem({ metadata: { name: 'odd', labels: { tier: 3 } }, spec: { nodeName: 'worker-1' } })), path: /\.metadata\.labels\.tier: expected a string/ },
    {
      description: 'a negative memory request',
      list: withItem(podItem({ spec: { nodeName: 'worker-2', containers: [{ name: 'a', resources: { requests: { memory: '-1Gi' } } }] } })),
      path: /\.spec\.containers\[0\]\.resources\.requests\.memory: expected a non-negative quantity/,
    },
    { description: 'containers that are not an array', list: withItem(podItem({ spec: { nodeName: 'worker-2', containers: 'web' } })), path: /\.spec\.containers: expected an array/ },
    { description: 'a bad deletionTimestamp', list: withItem(podItem({ metadata: { name: 'odd', deletionTimestamp: 'soon' } })), path: /deletionTimestamp: expected an RFC 3339 time/ },
    { description: 'a duplicate pod', list: withItem({ kind: 'Pod', metadata: { name: 'redis-0', namespace: 'shop' } }), path: /unique pod \("shop\/redis-0"/ },
    { description: 'a PDB operator Kubernetes does not know', list: withItem(pdbItem({ matchExpressions: [{ key: 'a', operator: 'Like', values: ['b'] }] })), path: /operator: expected one of In, NotIn/ },
    { description: 'a PDB In without values', list: withItem(pdbItem({ matchExpressions: [{ key: 'a', operator: 'In' }] })), path: /values: expected at least one value for In/ },
    { description: 'a negative pod usage', list: fixture(), u: { pods: { 'shop/redis-0': -5 } }, path: /^usage\.pods\["shop\/redis-0"\]: expected a non-negative number/ },
    { description: 'a node usage that is not a number', list: fixture(), u: { nodes: { 'worker-1': '14Gi' as unknown as number } }, path: /^usage\.nodes\["worker-1"\]/ },
  ];
  for (const row of invalid) {
    it(`invalid-list names the path: ${row.description}`, () => {
      const r = fromList(row.list, row.u ?? usage, 'worker-1');
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error, 'invalid-list');
      assert.match(r.message, row.path);
    });
  }
});

describe('fromList leniency where Kubernetes is lenient', () => {
  it('ignores items of other kinds and items without a kind', () => {
    const list = fixture();
    list.items.push({ kind: 'Service', metadata: { name: 'web' }, spec: 'anything' }, { metadata: { name: 'kindless' } });
    assert.equal(build(list).pods.length, 15);
  });

  it('accepts quantities as JSON numbers and with surrounding spaces, as UnmarshalJSON does', () => {
    const list = fixture();
    list.items.push(
      { kind: 'Node', metadata: { name: 'numeric' }, status: { capacity: { memory: 8589934592 }, allocatable: { memory: ' 8Gi ' } } },
    );
    const n = build(list).otherNodes.find((x) => x.name === 'numeric');
    assert.deepEqual([n?.capacityBytes, n?.allocatableBytes, n?.ready], [8 * GiB, 8 * GiB, false]);
  });

  it('a policy/v1beta1 PDB with an empty selector selects nothing; policy/v1 selects all', () => {
    const list = fixture();
    const pdb = (apiVersion: string, name: string): Record<string, unknown> => ({ kind: 'PodDisruptionBudget', apiVersion, metadata: { name, namespace: 'shop' }, spec: { selector: {} } });
    list.items.push(pdb('policy/v1beta1', 'old'), pdb('policy/v1', 'new'));
    const byName = new Map(build(list).pdbs.map((p) => [p.name, p]));
    assert.equal(byName.get('old')?.selector, null);
    assert.deepEqual(byName.get('new')?.selector, { matchLabels: {}, matchExpressions: [] });
    assert.equal(byName.get('new')?.disruptionsAllowed, 0, 'no status yet: nothing allowed');
  });

  it('a label named __proto__ stays a label', () => {
    const list = fixture();
    list.items.push({ kind: 'Pod', metadata: JSON.parse('{"name":"proto","namespace":"x","labels":{"__proto__":"yes"}}'), spec: { nodeName: 'worker-1' } });
    const p = podNamed(build(list), 'proto');
    assert.equal(Object.getPrototypeOf(p.labels), Object.prototype);
    assert.ok(Object.hasOwn(p.labels, '__proto__'));
  });
});
