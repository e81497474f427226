/**
 * `npm run bench:e2e`: time-to-relief through the real chain (see test/e2e/stack.ts), from the
 * moment the exporter's memory crosses the critical threshold to the eviction call, broken down by
 * component (bench/e2e-measure.ts), for:
 *
 * 1. the main scenario (a node jumps over 93%), several runs on the test's short intervals;
 * 2. a steady rise with the trend rule: when the trend alert reaches headroom, when the critical
 *    alert does, and when the eviction happens, relative to the crossing; once with the default
 *    `rules.trend.evict: false` and once with it on;
 * 3. the same path with the SHIPPED defaults, as an expected value (bench/e2e-model.ts) from the
 *    intervals and the measured non-interval components, with the floor the intervals allow.
 *
 * Targets: headroom's own share under 1% of the total; shipped defaults under 60 s.
 */
import { availableParallelism, loadavg } from 'node:os';
import { resolveConfig } from '../src/config/load.ts';
import { durationSeconds } from '../src/rules/duration.ts';
import { TIMING } from '../test/e2e/config.ts';
import type { ClusterWriter } from '../test/e2e/objects.ts';
import { startRamp } from '../test/e2e/ramp.ts';
import { startE2EStack, type E2EStack } from '../test/e2e/stack.ts';
import { waitUntil } from '../test/e2e/wait.ts';
import { components, readTimeline, type Timeline } from './e2e-measure.ts';
import { criticalPath, totals, trendLeadMinutes } from './e2e-model.ts';

const RUNS = 5;
const HOT_GIB = 15.2;
const THRESHOLD = 0.93;

const fmt = (v: number | null, digits = 3): string => (v === null ? '-' : v.toFixed(digits));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function seed(w: ClusterWriter): Promise<void> {
  for (const n of ['room-1', 'room-2', 'room-3']) await w.node(n, 4);
  for (let i = 1; i <= RUNS; i++) {
    await w.node(`bench-${i}`, 9);
    await w.pod(`bench-${i}`, { name: 'big-1', node: `bench-${i}`, gib: 3 });
    await w.pod(`bench-${i}`, { name: 'web-1', node: `bench-${i}`, gib: 1, request: '512Mi' });
  }
  await w.node('leaky', null);
  await w.pod('leak', { name: 'leak-1', node: 'leaky', gib: 2 });
  await w.pod('leak', { name: 'steady-1', node: 'leaky', gib: 2.5, request: '512Mi' });
}

/** Waits for the recorder to see the eviction of `ns/pod` (201). */
async function evictionCall(s: E2EStack, ns: string, pod: string, timeoutMs = 120_000): Promise<void> {
  await waitUntil(`the eviction of ${ns}/${pod}`, timeoutMs, async () => s.recorder?.evictions().some((e) => e.namespace === ns && e.pod === pod && e.status === 201), undefined, 50);
}

function printTimeline(title: string, rows: Array<Array<[string, number | null]>>): Map<string, number> {
  console.log(`\n${title}`);
  const names = rows[0]?.map(([n]) => n) ?? [];
  const medians = new Map<string, number>();
  console.log(`  ${'component'.padEnd(36)} ${rows.map((_, i) => `run ${i + 1}`.padStart(8)).join(' ')}   median`);
  for (const [i, name] of names.entries()) {
    const vals = rows.map((r) => r[i]?.[1] ?? null);
    const present = vals.filter((v): v is number => v !== null);
    const m = present.length > 0 ? median(present) : null;
    if (m !== null) medians.set(name, m);
    console.log(`  ${name.padEnd(36)} ${vals.map((v) => fmt(v).padStart(8)).join(' ')}   ${fmt(m)}`);
  }
  return medians;
}

async function mainScenario(s: E2EStack): Promise<Map<string, number>> {
  const rows: Array<Array<[string, number | null]>> = [];
  const totalsRow: number[] = [];
  const shares: number[] = [];
  const calls: string[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const node = `bench-${i}`;
    const crossed = Date.now();
    s.writer.setNodeUsed(node, HOT_GIB);
    await evictionCall(s, node, 'big-1');
    const t: Timeline = await readTimeline(s, { node, alertname: 'NodeMemoryPressureCritical', crossed, ratioOver: THRESHOLD, pod: { namespace: node, name: 'big-1' } });
    s.writer.setNodeUsed(node, 6);
    const c = components(t);
    rows.push(c);
    const total = ((t.evictionStart ?? t.webhook) - t.crossed) / 1000;
    totalsRow.push(total);
    shares.push((((t.evictionStart ?? t.webhook) - t.webhook) / 1000 / total) * 100);
    calls.push(apiCallsBefore(s, t));
  }
  const medians = printTimeline(`Main scenario, test intervals (scrape ${TIMING.scrapeInterval}, evaluation ${TIMING.evaluationInterval}, for ${TIMING.criticalFor}, group_wait ${TIMING.groupWait}), seconds:`, rows);
  console.log(`  ${'TOTAL: crossing -> eviction call'.padEnd(36)} ${totalsRow.map((v) => fmt(v).padStart(8)).join(' ')}   ${fmt(median(totalsRow))}`);
  console.log(`  ${"headroom's share of the total (%)".padEnd(36)} ${shares.map((v) => fmt(v, 2).padStart(8)).join(' ')}   ${fmt(median(shares), 2)}  (target < 1%)`);
  console.log('  API requests headroom made between the webhook and the eviction (ms after the webhook + duration):');
  for (const [i, c] of calls.entries()) console.log(`    run ${i + 1}: ${c}`);
  return medians;
}

/** headroom's requests to the API server during its decision, compactly. */
function apiCallsBefore(s: E2EStack, t: Timeline): string {
  const end = t.evictionStart ?? t.webhook;
  const reqs = (s.recorder?.requests() ?? []).filter((r) => r.startMs >= t.webhook && r.startMs < end).sort((a, b) => a.startMs - b.startMs);
  const what = (path: string): string => {
    const p = path.split('?')[0] ?? '';
    if (p.includes('configmaps')) return 'state';
    return p.split('/').filter((x) => x !== '').slice(-1)[0] ?? p;
  };
  return reqs.map((r) => `${r.method} ${what(r.path)} +${(r.startMs - t.webhook).toFixed(0)} (${(r.endMs - r.startMs).toFixed(0)})`).join(', ') || 'none';
}

/** A steady rise on `leaky`: trend alert, critical alert and eviction relative to the crossing. */
async function trendScenario(s: E2EStack, label: string): Promise<void> {
  const ramp = startRamp(s.writer, { node: 'leaky', pod: { namespace: 'leak', name: 'leak-1', startGiB: 2 }, startGiB: 9, gibPerSecond: 0.08, capGiB: 15.5 });
  try {
    const crossing = ramp.crossesAt(THRESHOLD * 100);
    await evictionCall(s, 'leak', 'leak-1', 180_000);
    // With the trend alert allowed to evict, the eviction may come before the critical alert does.
    await waitUntil('the critical alert at headroom', 60_000, async () => (await s.headroom.events('webhook', (l) => String(l.groupKey).includes('alertname="NodeMemoryPressureCritical", node="leaky"'))).length > 0);
    const call = s.recorder?.evictions().find((e) => e.pod === 'leak-1');
    const trend = await readTimeline(s, { node: 'leaky', alertname: 'NodeMemoryGrowthTrend', crossed: ramp.startedAt, ratioOver: 0, pod: null });
    const critical = await readTimeline(s, { node: 'leaky', alertname: 'NodeMemoryPressureCritical', crossed: crossing, ratioOver: THRESHOLD, pod: { namespace: 'leak', name: 'leak-1' } });
    const evals = await s.headroom.events('evaluation', (l) => l.node === 'leaky');
    ramp.stop(8);
    const rel = (t: number | null): string => (t === null ? '-' : `${((t - crossing) / 1000).toFixed(1)} s`);
    console.log(`\nSteady rise, 0.5 points/s from 56% (${label}); times relative to the crossing of 93%:`);
    console.log(`  trend alert firing in Prometheus     ${rel(trend.firing)}`);
    console.log(`  trend alert at headroom              ${rel(trend.webhook)}`);
    console.log(`  critical alert firing in Prometheus  ${rel(critical.firing)}`);
    console.log(`  critical alert at headroom           ${rel(critical.webhook)}`);
    console.log(`  eviction call                        ${rel(call?.startMs ?? null)}`);
    const byTrend = evals.filter((l) => Array.isArray(l.alertnames) && l.alertnames.includes('NodeMemoryGrowthTrend'));
    for (const l of byTrend.slice(0, 3)) console.log(`  headroom on the trend alert at ${rel(l.time)}: ${String(l.result)} (${String(l.reason)})`);
    if (byTrend.length > 3) console.log(`  ... ${byTrend.length - 3} more evaluations asked by the trend alert`);
  } finally {
    ramp.stop();
  }
}

function shippedDefaults(measured: Map<string, number>): void {
  const r = resolveConfig({});
  if (!r.ok) throw new Error('default config rejected');
  const c = r.config;
  const m = { send: measured.get('Prometheus -> Alertmanager') ?? 0, post: measured.get('Alertmanager -> headroom (POST)') ?? 0, headroom: measured.get('headroom decision') ?? 0, api: measured.get('API call (eviction)') ?? 0 };
  const evaluation = durationSeconds(c.rules.evaluation_interval);
  const criticalFor = durationSeconds(c.rules.critical_for);
  const groupWait = 5; // deploy/alertmanager/headroom-route.yaml
  console.log(`\nShipped defaults (evaluation ${evaluation}s, critical_for ${criticalFor}s, group_wait ${groupWait}s), expected value = sum of expected delays, seconds:`);
  for (const scrape of [30, 15]) {
    const est = criticalPath({ scrape, evaluation, criticalFor, groupWait }, m);
    const t = totals(est);
    console.log(`  scrape_interval ${scrape}s:`);
    for (const e of est) console.log(`    ${e.name.padEnd(36)} expected ${fmt(e.expected).padStart(7)}  floor ${fmt(e.floor).padStart(7)}  worst ${fmt(e.worst).padStart(7)}  (${e.note})`);
    console.log(`    ${'TOTAL'.padEnd(36)} expected ${fmt(t.expected).padStart(7)}  floor ${fmt(t.floor).padStart(7)}  worst ${fmt(t.worst).padStart(7)}  (target < 60 s expected)`);
    console.log(`    headroom's share of the expected total: ${((m.headroom / t.expected) * 100).toFixed(3)}%`);
  }
  const lead = trendLeadMinutes({ horizonMinutes: durationSeconds(c.rules.trend.horizon) / 60, forMinutes: durationSeconds(c.rules.trend.for) / 60, delaysSeconds: 15 + evaluation / 2 + groupWait });
  console.log(`  trend alert (shipped window ${c.rules.trend.window}, horizon ${c.rules.trend.horizon}, for ${c.rules.trend.for}): reaches headroom about ${lead.toFixed(1)} min before the crossing for a steady rise above ${c.rules.trend.min_rate} points/min (at 1 point/min near ${(c.thresholds.memory_eviction - (durationSeconds(c.rules.trend.horizon) - durationSeconds(c.rules.trend.for)) / 60).toFixed(0)}%)`);
}

async function main(): Promise<void> {
  console.log(`bench:e2e on ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const started = Date.now();
  let s = await startE2EStack({ seed, recordApi: true, alertmanagerArgs: ['--log.level=debug'] });
  let measured: Map<string, number>;
  try {
    console.log(`chain started in ${(s.startup.total ?? 0) / 1000} s`);
    measured = await mainScenario(s);
    await trendScenario(s, 'rules.trend.evict: false, the default');
  } finally {
    await s.stop();
  }
  s = await startE2EStack({ seed, recordApi: true, alertmanagerArgs: ['--log.level=debug'], trendEvict: true });
  try {
    await trendScenario(s, 'rules.trend.evict: true');
  } finally {
    await s.stop();
  }
  shippedDefaults(measured);
  console.log(`\nbench:e2e took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
