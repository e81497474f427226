/**
 * End to end, everything real: memory rises in the exporter, Prometheus evaluates the rules
 * `headroom rules` renders, Alertmanager routes with the shipped route example, `headroom serve`
 * evicts through the Eviction API with the ServiceAccount of deploy/rbac.yaml, and each scenario
 * asserts on the API server afterwards.
 *
 * Every scenario has its own node and namespace, so they share one chain and run one after
 * another. Three roomy nodes take the evicted pods (the planner needs two). Nodes have 16 GiB:
 * 15.2 GiB is 95% (over the 93% eviction threshold), and freeing 2.4 GiB reaches the 80% target,
 * so one pod of 2.9 GiB or more per round is enough and exactly one goes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TIMING } from './config.ts';
import { describeScene, evaluationsOf, evictionsIn, waitForEviction, webhooksFor } from './observe.ts';
import { eventSummary, eventsIn, podStates, processedPdb, type ClusterWriter } from './objects.ts';
import { startE2EStack, type E2EStack } from './stack.ts';
import { until, waitUntil } from './wait.ts';

const HOT = 15.2;
const COOLDOWN_MS = TIMING.cooldownSeconds * 1000;
/** From memory crossing to eviction the chain takes ~6 s here; generous for a loaded machine. */
const RELIEF_TIMEOUT = 60_000;

async function seed(w: ClusterWriter): Promise<void> {
  for (const n of ['room-1', 'room-2', 'room-3']) await w.node(n, 4);
  // 1: the top-scoring pods are protected (kube-system, opted out); cache-1 is the best eligible.
  await w.node('s1-hot', 12.5);
  await w.pod('kube-system', { name: 'agent-1', node: 's1-hot', gib: 3.5 });
  await w.pod('s1', { name: 'ledger-1', node: 's1-hot', gib: 3.5, annotations: { 'headroom.dev/evict': 'never' } });
  await w.pod('s1', { name: 'cache-1', node: 's1-hot', gib: 3 });
  await w.pod('s1', { name: 'web-1', node: 's1-hot', gib: 1, request: '512Mi' });
  await w.pod('s1', { name: 'api-1', node: 's1-hot', gib: 0.5, request: '512Mi' });
  await w.pod('s1', { name: 'batch-1', node: 's1-hot', gib: 0.5, bare: true });
  // 3, 5, 6, 7: a first pod that relieves the node alone, and a second one for a later round.
  for (const [ns, first, second] of [['s3', 'a-1', 'b-1'], ['s5', 'x-1', 'y-1'], ['s6', 'p-1', 'q-1'], ['s7', 'm-1', 'n-1']] as const) {
    await w.node(`${ns}-hot`, 8);
    await w.pod(ns, { name: first, node: `${ns}-hot`, gib: 3 });
    await w.pod(ns, { name: second, node: `${ns}-hot`, gib: 2.9 });
    await w.pod(ns, { name: 'small-1', node: `${ns}-hot`, gib: 1, request: '512Mi' });
  }
  // 4: the best candidate is behind a PodDisruptionBudget that allows no disruption.
  await w.node('s4-hot', 9);
  await w.replicaSet('s4', 'guarded', 2);
  await w.pod('s4', { name: 'guarded-1', node: 's4-hot', gib: 3.5 });
  await w.pod('s4', { name: 'guarded-2', node: 'room-1', gib: 0.5 });
  await w.pod('s4', { name: 'web-1', node: 's4-hot', gib: 3, request: '512Mi' });
  await w.pod('s4', { name: 'api-1', node: 's4-hot', gib: 1, request: '512Mi' });
}

let s: E2EStack;

before(async () => {
  s = await startE2EStack({
    seed: async (w, cluster) => {
      await seed(w);
      await processedPdb(cluster, 's4', 'guarded', 2, 2);
    },
    duplicates: { nodeRegex: 's7-hot', receivers: 2, lossyFailures: 1 },
  });
  console.log(`# chain started: ${JSON.stringify(s.startup)} ms`);
}, { timeout: 5 * 60_000 });

after(async () => {
  await s?.stop();
});

describe('headroom end to end', () => {
  it('1. memory over the critical threshold: the best eligible pod is evicted, protected pods untouched, an Event records it', async () => {
    s.writer.setNodeUsed('s1-hot', HOT);
    const line = await waitForEviction(s, 's1', 'cache-1', 's1-hot', RELIEF_TIMEOUT);
    assert.equal(line.mode, 'enforce');
    // Let the round finish (a second pod would be evicted in the same evaluation, right away).
    await waitUntil('the evaluation of s1-hot', 10_000, async () => (await evaluationsOf(s, 's1-hot')).some((l) => l.result === 'evicted'));
    assert.deepEqual(await podStates(s.cluster, 's1'), { evicted: ['cache-1'], alive: ['api-1', 'batch-1', 'ledger-1', 'web-1'] });
    assert.deepEqual((await podStates(s.cluster, 'kube-system')).evicted, []);
    assert.deepEqual(await eventSummary(s.cluster, 's1'), ['HeadroomEviction Pod/cache-1']);
    const [event] = await eventsIn(s.cluster, 's1', 'cache-1');
    assert.match(event?.message ?? '', /Evicted by headroom/);
    s.writer.setNodeUsed('s1-hot', 9.5);
  });

  it('3. the alert keeps firing: no second eviction inside the cooldown, one after it', async () => {
    s.writer.setNodeUsed('s3-hot', HOT);
    const first = await waitForEviction(s, 's3', 'a-1', 's3-hot', RELIEF_TIMEOUT);
    // The node stays hot: Alertmanager repeats the alert every few seconds, inside the cooldown.
    await until(first.time + COOLDOWN_MS - 1000);
    assert.deepEqual((await podStates(s.cluster, 's3')).evicted, ['a-1'], 'nothing more evicted inside the cooldown');
    const repeats = (await webhooksFor(s, 's3-hot', 'NodeMemoryPressureCritical')).filter((l) => l.time > first.time);
    assert.ok(repeats.length >= 1, 'repeats of the alert reached headroom inside the cooldown');
    const second = await waitForEviction(s, 's3', 'b-1', 's3-hot', COOLDOWN_MS + RELIEF_TIMEOUT);
    assert.ok(second.time - first.time >= COOLDOWN_MS - 1000, `second eviction ${second.time - first.time} ms after the first`);
    assert.deepEqual(await eventSummary(s.cluster, 's3'), ['HeadroomEviction Pod/a-1', 'HeadroomEviction Pod/b-1']);
    s.writer.setNodeUsed('s3-hot', 6);
  });

  it('4. a PDB at zero allowed disruptions: its pod stays, the next candidate goes', async () => {
    s.writer.setNodeUsed('s4-hot', HOT);
    await waitForEviction(s, 's4', 'web-1', 's4-hot', RELIEF_TIMEOUT);
    await waitUntil('the evaluation of s4-hot', 10_000, async () => (await evaluationsOf(s, 's4-hot')).some((l) => l.result === 'evicted'));
    assert.deepEqual(await podStates(s.cluster, 's4'), { evicted: ['web-1'], alive: ['api-1', 'guarded-1', 'guarded-2'] });
    assert.deepEqual(await eventSummary(s.cluster, 's4'), ['HeadroomEviction Pod/web-1']);
    const pdb = await s.cluster.request<{ status: { disruptionsAllowed: number } }>('GET', '/apis/policy/v1/namespaces/s4/poddisruptionbudgets/guarded');
    assert.equal(pdb.body.status.disruptionsAllowed, 0);
    s.writer.setNodeUsed('s4-hot', 6);
  });

  it('5. the alert resolves: nothing more happens', async () => {
    s.writer.setNodeUsed('s5-hot', HOT);
    const evicted = await waitForEviction(s, 's5', 'x-1', 's5-hot', RELIEF_TIMEOUT);
    const resolvedBefore = await resolvedSeen(s);
    s.writer.setNodeUsed('s5-hot', 9);
    // The alert resolves in Alertmanager, and the resolution reaches headroom (send_resolved;
    // the other nodes are quiet by now, so the count grows for this node's alerts).
    await waitUntil('the alert resolved in Alertmanager', 30_000, async () => (await alertsFor(s, 's5-hot')).length === 0);
    const resolvedAt = await waitUntil('a resolved delivery at headroom', 30_000, async () => ((await resolvedSeen(s)) > resolvedBefore ? Date.now() : undefined));
    // Past the cooldown and several repeat intervals, nothing else happened.
    await until(Math.max(resolvedAt + 8000, evicted.time + COOLDOWN_MS + 5000));
    assert.deepEqual(await podStates(s.cluster, 's5'), { evicted: ['x-1'], alive: ['small-1', 'y-1'] });
    assert.deepEqual(await eventSummary(s.cluster, 's5'), ['HeadroomEviction Pod/x-1']);
    assert.deepEqual(await eventSummary(s.cluster, 'default', 's5-hot'), [], 'no evaluation of the node was recorded after the eviction');
    const evals = await evaluationsOf(s, 's5-hot');
    assert.deepEqual(evals.map((l) => l.result), ['evicted'], await describeScene(s, 's5', 's5-hot'));
  });

  it('7. Alertmanager delivers the alert through three receivers, and retries one whose answer was lost: still one eviction', async () => {
    s.writer.setNodeUsed('s7-hot', HOT);
    const line = await waitForEviction(s, 's7', 'm-1', 's7-hot', RELIEF_TIMEOUT);
    // Three receivers at once, then the retry of the one told 503 (after its back-off).
    const deliveries = await waitUntil('four deliveries of the first notification', 15_000, async () => {
      const got = (await webhooksFor(s, 's7-hot', 'NodeMemoryPressureCritical')).filter((l) => l.time <= line.time + 3000);
      return got.length >= 4 ? got : undefined;
    }, async () => JSON.stringify({ webhooks: await webhooksFor(s, 's7-hot'), relay: s.lossy?.forwarded() }));
    assert.ok(deliveries.length >= 4);
    const relayed = await waitUntil('the relay to forward the retry', 10_000, async () => ((s.lossy?.forwarded().length ?? 0) >= 2 ? s.lossy?.forwarded() : undefined));
    assert.deepEqual(relayed.slice(0, 2).map((f) => f.status), [200, 200], 'headroom answered the lost delivery and its retry');
    await until(line.time + 5000);
    assert.deepEqual(await podStates(s.cluster, 's7'), { evicted: ['m-1'], alive: ['n-1', 'small-1'] });
    assert.deepEqual(await eventSummary(s.cluster, 's7'), ['HeadroomEviction Pod/m-1']);
    assert.equal((await evictionsIn(s, 's7')).length, 1);
    s.writer.setNodeUsed('s7-hot', 6);
  });

  it('6. headroom restarted right after an eviction: the cooldown is remembered', async () => {
    s.writer.setNodeUsed('s6-hot', HOT);
    const first = await waitForEviction(s, 's6', 'p-1', 's6-hot', RELIEF_TIMEOUT);
    await s.headroom.restart();
    await until(first.time + COOLDOWN_MS - 1000);
    const heard = (await webhooksFor(s, 's6-hot', 'NodeMemoryPressureCritical')).filter((l) => l.incarnation === 2);
    assert.ok(heard.length >= 1, 'the restarted headroom received the repeated alert inside the cooldown');
    assert.deepEqual((await podStates(s.cluster, 's6')).evicted, ['p-1'], 'nothing more evicted inside the cooldown');
    const second = await waitForEviction(s, 's6', 'q-1', 's6-hot', COOLDOWN_MS + RELIEF_TIMEOUT);
    assert.equal(second.incarnation, 2);
    assert.ok(second.time - first.time >= COOLDOWN_MS - 1000, `second eviction ${second.time - first.time} ms after the first`);
    s.writer.setNodeUsed('s6-hot', 6);
  });
});

/** Alerts Alertmanager holds as active for `node`. */
async function alertsFor(st: E2EStack, node: string): Promise<unknown[]> {
  const res = await fetch(`${st.alertmanager.url}/api/v2/alerts?active=true&filter=${encodeURIComponent(`node="${node}"`)}&filter=${encodeURIComponent('alertname="NodeMemoryPressureCritical"')}`);
  return (await res.json()) as unknown[];
}

/** headroom's count of resolved alerts received (its /metrics). */
async function resolvedSeen(st: E2EStack): Promise<number> {
  const text = await (await fetch(`${st.headroom.url}/metrics`)).text();
  const m = /^headroom_alerts_received_total\{status="resolved"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}
