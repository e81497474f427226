/**
 * End to end, the early warning: a node whose memory climbs steadily (a leak) raises
 * NodeMemoryGrowthTrend well before it crosses the eviction threshold, and only then the critical
 * alert, on which headroom evicts the leaking pod. Same chain as eviction.test.ts (see stack.ts);
 * the trend window is 60 s sampled every second, so the fit needs 30 samples before it may fire.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { resolved } from './config.ts';
import { evictionsIn, waitForEviction, webhooksFor } from './observe.ts';
import { podStates, type ClusterWriter } from './objects.ts';
import { startRamp } from './ramp.ts';
import { startE2EStack, type E2EStack } from './stack.ts';
import { waitUntil } from './wait.ts';

async function seed(w: ClusterWriter): Promise<void> {
  for (const n of ['room-1', 'room-2', 'room-3']) await w.node(n, 4);
  // Not in node-exporter yet: its usage series starts with the rise.
  await w.node('leaky', null);
  await w.pod('t', { name: 'leak-1', node: 'leaky', gib: 2 });
  await w.pod('t', { name: 'steady-1', node: 'leaky', gib: 2.5, request: '512Mi' });
}

let s: E2EStack;

before(async () => {
  s = await startE2EStack({ seed });
  console.log(`# chain started: ${JSON.stringify(s.startup)} ms`);
}, { timeout: 5 * 60_000 });

after(async () => {
  await s?.stop();
});

it('2. a steady rise: the trend alert reaches headroom before the threshold is crossed, the critical alert after, and the leak is evicted', async () => {
  const eviction = resolved(s.config).thresholds.memory_eviction;
  // 0.5 points per second from 56%: 93% is crossed after ~74 s.
  const ramp = startRamp(s.writer, { node: 'leaky', pod: { namespace: 't', name: 'leak-1', startGiB: 2 }, startGiB: 9, gibPerSecond: 0.08, capGiB: 15.5 });
  try {
    const crossing = ramp.crossesAt(eviction);
    const trend = await waitUntil('NodeMemoryGrowthTrend at headroom', 120_000, async () => (await webhooksFor(s, 'leaky', 'NodeMemoryGrowthTrend'))[0]);
    assert.ok(trend.time < crossing, `the trend alert arrived ${Math.round(trend.time - crossing)} ms after the crossing`);
    console.log(`# trend alert at headroom ${((crossing - trend.time) / 1000).toFixed(1)} s before memory crossed ${eviction}%`);
    assert.deepEqual(await webhooksFor(s, 'leaky', 'NodeMemoryPressureCritical'), [], 'no critical alert before the crossing');

    const evicted = await waitForEviction(s, 't', 'leak-1', 'leaky', 120_000);
    const [critical] = await webhooksFor(s, 'leaky', 'NodeMemoryPressureCritical');
    assert.ok(critical !== undefined, 'the critical alert reached headroom');
    assert.ok(trend.time < critical.time && critical.time >= crossing);
    assert.ok(evicted.time >= critical.time, 'the eviction followed the critical alert (the trend alert only notifies by default)');
    console.log(`# critical alert ${((critical.time - crossing) / 1000).toFixed(1)} s after the crossing, eviction ${((evicted.time - crossing) / 1000).toFixed(1)} s after`);
    ramp.stop(8);
    await waitUntil('the round to finish', 10_000, async () => (await s.headroom.events('evaluation', (l) => l.node === 'leaky')).some((l) => l.result === 'evicted'));
    assert.deepEqual(await podStates(s.cluster, 't'), { evicted: ['leak-1'], alive: ['steady-1'] });
    assert.equal((await evictionsIn(s, 't')).length, 1);
  } finally {
    ramp.stop();
  }
});
