import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromList } from '../../../src/facts/from-list.ts';
import { plan, roundPlanForOutput } from '../../../src/plan/index.ts';
import { GiB, MiB, NOW, policy } from './builders.ts';

const list: unknown = JSON.parse(readFileSync(new URL('../../fixtures/cluster-small.json', import.meta.url), 'utf8'));
const usage = {
  nodes: { 'worker-1': 14.5 * GiB },
  pods: {
    'shop/web-7d9c8b6f5-abcde': 900 * MiB,
    'shop/web-7d9c8b6f5-fghij': 800 * MiB,
    'shop/api-5f6d7c8b9-qrstu': 512 * MiB,
    'shop/pricing-6d8f7c9b5-p3q4r': 256 * MiB,
    'shop/redis-0': 900 * MiB,
    'batch/report-28811520-7x9kq': 1200 * MiB,
  },
};

describe('plan on the kubectl fixture (facts from fromList, default policy)', () => {
  const r = fromList(list, usage, 'worker-1');
  assert.ok(r.ok);
  const p = roundPlanForOutput(plan(r.facts, policy(), NOW));

  it('holds every protected pod with its reasons', () => {
    assert.deepEqual(p.protected, [
      { namespace: 'default', name: 'debug-shell', reasons: ['no-controller'] },
      { namespace: 'edge', name: 'edge-agent-worker-1', reasons: ['mirror-pod'] },
      { namespace: 'ingress-nginx', name: 'ingress-nginx-controller-6b7f9c5d4-m2n3p', reasons: ['critical-priority'] },
      { namespace: 'kube-system', name: 'coredns-5d78c9869d-h5j6k', reasons: ['protected-namespace', 'critical-priority'] },
      { namespace: 'ops', name: 'log-agent-x7k2p', reasons: ['daemonset', 'no-room'] },
      { namespace: 'shop', name: 'cache-warmer-84c6d5f7b9-w8x9y', reasons: ['opted-out'] },
      { namespace: 'shop', name: 'redis-0', reasons: ['pdb'] },
    ]);
  });

  it('orders the candidates and chooses the prefix', () => {
    assert.deepEqual(
      p.candidates.map((c) => [c.name, c.score]),
      [
        ['thumbnailer-7c5b9d8f6-t1u2v', 70],
        ['report-28811520-7x9kq', 62.3],
        ['web-7d9c8b6f5-abcde', 52.4],
        ['web-7d9c8b6f5-fghij', 52.2],
        ['api-5f6d7c8b9-qrstu', 43.9],
        ['pricing-6d8f7c9b5-p3q4r', 3.8],
      ],
    );
    assert.deepEqual(p.evictions, p.candidates.slice(0, 2));
  });

  it('places on the two ready, uncordoned, untainted workers, roomiest first', () => {
    assert.ok(p.candidates.every((c) => c.targets.join() === 'worker-3,worker-2'));
  });

  it('reports the node\'s memory', () => {
    assert.deepEqual(p.memory, { totalBytes: 16374584 * 1024, usedBytes: 14.5 * GiB, usage: 92.9, target: 80, projectedUsage: 85.3 });
    assert.equal(p.reachedTarget, false);
  });
});
