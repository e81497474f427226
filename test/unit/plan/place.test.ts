import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeFacts, PodFacts } from '../../../src/facts/types.ts';
import { placer } from '../../../src/plan/place.ts';
import type { Policy } from '../../../src/plan/policy.ts';
import { GiB, node, pod, policy } from './builders.ts';

const web = pod({ name: 'web-1', requestBytes: 2 * GiB, usageBytes: 2 * GiB });

describe('placer: which nodes can take a pod', () => {
  const rows: ReadonlyArray<{ description: string; node: Partial<NodeFacts>; pod?: PodFacts; policy?: Partial<Policy>; fits: boolean }> = [
    { description: 'a ready, roomy node', node: {}, fits: true },
    { description: 'not Ready', node: { ready: false }, fits: false },
    { description: 'cordoned', node: { unschedulable: true }, fits: false },
    { description: 'in excluded_nodes', node: {}, policy: { excludedNodes: ['n1'] }, fits: false },
    { description: 'unknown capacity', node: { capacityBytes: 0 }, fits: false },
    { description: 'a NoSchedule taint the pod does not tolerate', node: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }, fits: false },
    { description: 'a NoExecute taint the pod does not tolerate', node: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }, fits: false },
    { description: 'a PreferNoSchedule taint', node: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }] }, fits: true },
    {
      description: 'a taint the pod tolerates',
      node: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      pod: pod({ name: 'gpu-1', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
      fits: true,
    },
    { description: 'nodeSelector matched', node: { labels: { disktype: 'ssd' } }, pod: pod({ name: 'db-1', nodeSelector: { disktype: 'ssd' } }), fits: true },
    { description: 'nodeSelector not matched', node: { labels: { disktype: 'hdd' } }, pod: pod({ name: 'db-1', nodeSelector: { disktype: 'ssd' } }), fits: false },
    {
      description: 'required node affinity not matched',
      node: { labels: { zone: 'b' } },
      pod: pod({ name: 'z-1', requiredNodeAffinity: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [] }] }),
      fits: false,
    },
    { description: 'request exactly fills the free allocatable', node: { allocatableBytes: 10 * GiB, requestedBytes: 8 * GiB }, fits: true },
    { description: 'request one byte over the free allocatable', node: { allocatableBytes: 10 * GiB, requestedBytes: 8 * GiB + 1 }, fits: false },
    { description: 'usage lands exactly at 80 %', node: { capacityBytes: 10 * GiB, usedBytes: 6 * GiB }, fits: true },
    { description: 'usage lands above 80 %', node: { capacityBytes: 10 * GiB, usedBytes: 6 * GiB + 1 }, fits: false },
    { description: 'a configured target_node_max_usage', node: { capacityBytes: 10 * GiB, usedBytes: 6 * GiB }, policy: { targetNodeMaxUsage: 70 }, fits: false },
    { description: 'usage counts, not requests, for the usage limit', node: { capacityBytes: 10 * GiB, usedBytes: 1 * GiB, requestedBytes: 7 * GiB }, fits: true },
  ];
  for (const row of rows) {
    it(row.description, () => {
      const place = placer([node({ name: 'n1', ...row.node })], 'n0', policy(row.policy));
      assert.deepEqual(place.place(row.pod ?? web).targets, row.fits ? ['n1'] : []);
    });
  }

  it('never proposes the pod\'s own node', () => {
    assert.deepEqual(placer([node({ name: 'n0' })], 'n0', policy()).place(web).targets, []);
  });
});

describe('placer: roomiest first, bounded, booking', () => {
  const nodes = [
    node({ name: 'b', requestedBytes: 4 * GiB }),
    node({ name: 'a', requestedBytes: 4 * GiB }),
    node({ name: 'c', requestedBytes: 1 * GiB }),
    node({ name: 'd', requestedBytes: 9 * GiB }),
  ];

  it('orders by free allocatable, then by name', () => {
    assert.deepEqual(placer(nodes, 'n0', policy()).place(web).targets, ['c', 'a', 'b', 'd']);
  });

  it('lists at most listedTargets names', () => {
    assert.deepEqual(placer(nodes, 'n0', policy({ listedTargets: 2, minTargetNodes: 2 })).place(web).targets, ['c', 'a']);
  });

  it('lists at least minTargetNodes names even when listedTargets is smaller', () => {
    assert.deepEqual(placer(nodes, 'n0', policy({ listedTargets: 1, minTargetNodes: 3 })).place(web).targets, ['c', 'a', 'b']);
  });

  it('a booked pod makes its node fuller for the next pod', () => {
    const place = placer(nodes, 'n0', policy());
    const first = place.place(web);
    place.book(web, first.best);
    // c had 15 GiB free; after 2 GiB booked, 13 GiB: still the roomiest. Book twice more.
    place.book(web, first.best);
    place.book(web, first.best);
    assert.deepEqual(place.place(web).targets, ['a', 'b', 'c', 'd']);
  });

  it('booking counts usage too', () => {
    const place = placer([node({ name: 'x', capacityBytes: 10 * GiB, usedBytes: 4 * GiB }), node({ name: 'y', capacityBytes: 10 * GiB, usedBytes: 0, requestedBytes: 1 })], 'n0', policy());
    const p = pod({ name: 'p', requestBytes: 0, usageBytes: 2 * GiB });
    const first = place.place(p);
    assert.deepEqual(first.targets, ['x', 'y']);
    place.book(p, first.best);
    // x is now at 6 GiB used: 6 + 2 = 8 of 10 is still 80 %; book again and it is over.
    place.book(p, first.best);
    assert.deepEqual(place.place(p).targets, ['y']);
  });
});
