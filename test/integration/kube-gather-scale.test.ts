/**
 * Every node's requests at scale, against the real API server: the paged fold gives the same sums
 * as listing everything, page by page (500), and its memory does not grow with the cluster. Prints
 * the figures behind the choice in src/facts/gather-requests.ts. HEADROOM_SCALE_PODS sets the
 * size (default 1,200: three pages, quick); 5,000 was measured for the design note.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sumRequestsByNode } from '../../src/facts/gather-requests.ts';
import type { KubeApi } from '../../src/kube/types.ts';
import { startKubeCluster, type KubeCluster } from '../stack/kube-cluster.ts';
import { kubeApiFor, namespace } from './kube-fixtures.ts';

const PODS = Number(process.env.HEADROOM_SCALE_PODS ?? 1200);
const NODES = Math.max(10, Math.ceil(PODS / 50));
const MiB = 2 ** 20;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let cluster: KubeCluster;
let api: KubeApi;

before(async () => {
  cluster = await startKubeCluster({ controllerManager: false });
  api = await kubeApiFor(cluster, { qps: 1000, burst: 1000 });
  await namespace(cluster, 'scale');
  const body = (i: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${i}`, labels: { app: `a${i % 97}`, team: 'x'.repeat(20) }, annotations: { note: 'y'.repeat(200) } },
    spec: { nodeName: `node-${i % NODES}`, containers: [{ name: 'c', image: 'example.invalid/app:1', resources: { requests: { memory: `${(i % 4) + 1}00Mi` } } }, { name: 'sidecar', image: 'example.invalid/s:1', resources: { requests: { memory: '10Mi' } } }] },
  });
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < PODS) {
      const i = next++;
      const r = await cluster.request('POST', '/api/v1/namespaces/scale/pods', body(i));
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  }));
}, { timeout: 20 * 60_000 });

after(async () => {
  await cluster?.stop();
});

/**
 * Runs `fn`, sampling the heap every millisecond; returns its result, time, peak heap growth and
 * what stays on the heap after a full GC while the result is still held.
 */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakMiB: number; retainedMiB: number }> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 1);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  gc();
  return { value, ms, peakMiB: (peak - base) / MiB, retainedMiB: (process.memoryUsage().heapUsed - base) / MiB };
}

test(`sums of ${PODS} pods on ${NODES} nodes: paged fold equals the full list, in bounded memory`, async () => {
  const fold = await measure(() => sumRequestsByNode(api));
  assert.ok(fold.value.ok);
  assert.equal(fold.value.value.pods, PODS);
  assert.equal(fold.value.value.pages, Math.ceil(PODS / 500));
  const full = await measure(() => api.listPods({}));
  assert.ok(full.value.ok);
  const expected = new Map<string, number>();
  for (let i = 0; i < PODS; i++) expected.set(`node-${i % NODES}`, (expected.get(`node-${i % NODES}`) ?? 0) + ((i % 4) + 1) * 100 * MiB + 10 * MiB);
  assert.deepEqual(new Map([...fold.value.value.byNode].sort()), new Map([...expected].sort()));
  const f = (m: { ms: number; peakMiB: number; retainedMiB: number }) => `${m.ms.toFixed(0)} ms, peak heap +${m.peakMiB.toFixed(1)} MiB, retained +${m.retainedMiB.toFixed(1)} MiB`;
  console.error(`# ${PODS} pods / ${NODES} nodes: paged fold ${f(fold)}; full list ${f(full)}`);
  assert.ok(fold.retainedMiB < Math.max(2, full.retainedMiB / 4), 'the fold keeps nothing but one number per node');
});
