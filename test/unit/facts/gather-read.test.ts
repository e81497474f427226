import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readNodes } from '../../../src/facts/gather-read.ts';
import type { KubeFailure, KubeObject, KubeResult } from '../../../src/kube/types.ts';
import { failure } from '../kube/fake-api.ts';
import { rawNode } from '../kube/objects.ts';

/** A `foldNodes` over fixed pages; each run answers the next entry of `runs` (pages, or a failure). */
function pager(runs: Array<KubeObject[][] | KubeFailure>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async foldNodes(onPage: (items: readonly KubeObject[]) => void): Promise<KubeResult<{ items: number; pages: number }>> {
      const run = runs[calls++];
      if (run === undefined) throw new Error('no more runs');
      if (!Array.isArray(run)) return { ok: false, failure: run };
      for (const page of run) onPage(page);
      return { ok: true, value: { items: run.flat().length, pages: run.length } };
    },
  };
}

test('readNodes: pages folded into node basics and UIDs', async () => {
  const api = pager([[[rawNode('a'), rawNode('b')], [rawNode('c', '8Gi')]]]);
  const r = await readNodes(api);
  assert.ok(r.ok);
  assert.deepEqual(r.value.nodes.map((n) => [n.name, n.capacityBytes]), [['a', 16 * 2 ** 30], ['b', 16 * 2 ** 30], ['c', 8 * 2 ** 30]]);
  assert.equal(r.value.uids.get('c'), 'uid-c');
});

test('readNodes: the first malformed node is the message, counted across pages', async () => {
  const broken = { ...rawNode('x'), status: { capacity: { memory: 'lots' } } };
  const r = await readNodes(pager([[[rawNode('a'), rawNode('b')], [rawNode('c'), broken]]]));
  assert.ok(!r.ok && 'message' in r);
  assert.match(r.message, /nodes\[3\]/);
});

test('readNodes: an expired continue token restarts the list once; other failures are answered', async () => {
  const again = pager([failure('expired', 410), [[rawNode('a')]]]);
  const r = await readNodes(again);
  assert.ok(r.ok && r.value.nodes.length === 1);
  assert.equal(again.calls, 2);
  const twice = await readNodes(pager([failure('expired', 410), failure('expired', 410)]));
  assert.ok(!twice.ok && 'failure' in twice && twice.failure.kind === 'expired');
  const down = await readNodes(pager([failure('server', 503, true)]));
  assert.ok(!down.ok && 'failure' in down && down.failure.status === 503);
});
