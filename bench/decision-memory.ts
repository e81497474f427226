/**
 * Part 2 of bench:decision, run in a process of its own (`node --expose-gc`) so its peak RSS is
 * headroom's alone: the memory headroom holds for a cluster of 5,000 nodes and 50,000 pods,
 * through the same code path as the service (`LiveEvaluator`: facts caches, request sums folded
 * page by page, planner, stored limits, dry-run evictions) over the synthetic API of
 * `decision-fake.ts`. Baseline: RSS and heap after the modules `headroom serve` loads are loaded
 * and the evaluator is built, before any cluster object exists. Then `init()` (the start-up warm: the node list and
 * the request sums of every pod) and 20 evaluations of different hot nodes, one after the other
 * as alerts would come, each ending in one dry-run eviction; then whatever refresh they left
 * running. Peak RSS is `process.resourceUsage().maxRSS`; retained heap is measured after GC.
 * Target: peak RSS under 300 MB.
 */
// Everything `headroom serve` loads (client-node above all), so the baseline is the service's.
import '../src/cli/serve.ts';
import { getHeapStatistics } from 'node:v8';
import { LiveEvaluator } from '../src/live/evaluator.ts';
import { resolveConfig } from '../src/config/load.ts';
import { createMetrics } from '../src/http/metrics.ts';
import { createLogger } from '../src/log.ts';
import { fakeKube, fakeUsage } from './decision-fake.ts';
import { mib, ms, percentile, table } from './decision-stats.ts';
import { HOT, NAMESPACES, PDBS, SIZE, node, nodeName, pod, replicaSets } from './decision-synthetic.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const MB = 1e6;

type Mark = { step: string; ms: number; rss: number; heap: number; peakRss: number };

/** Two full collections, then RSS and heap used. */
function settle(): { rss: number; heap: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<void> {
  const t0 = performance.now();
  const resolved = resolveConfig({ mode: 'dry-run', eviction: { max_evictions_per_hour: 1000 } });
  if (!resolved.ok) throw new Error('config');
  const { api, served } = fakeKube();
  const logger = createLogger({ level: 'info', destination: { write: () => undefined } });
  const evaluator = new LiveEvaluator({ config: resolved.config, api, usage: fakeUsage(), logger, metrics: createMetrics(), stateNamespace: 'headroom' });
  const base = settle();
  const marks: Mark[] = [{ step: 'baseline: modules loaded, evaluator built, no cluster data', ms: 0, ...base, peakRss: peakRss() }];
  let heapPeak = base.heap;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 2);

  let t = performance.now();
  const init = await evaluator.init();
  if (!init.ok) throw new Error(init.message);
  await evaluator.gatherer.warm();
  marks.push({ step: 'init: node list + request sums of every pod (warm)', ms: performance.now() - t, ...settle(), peakRss: peakRss() });

  const times: number[] = [];
  t = performance.now();
  for (const n of HOT) {
    const e0 = performance.now();
    const r = await evaluator.evaluateDetailed({ node: nodeName(n), alertnames: ['NodeMemoryPressureCritical'], requestedAt: new Date() });
    times.push(performance.now() - e0);
    if (r.result.result !== 'evicted') throw new Error(`${nodeName(n)}: ${r.result.result} (${r.result.reason ?? ''})`);
  }
  const evalMs = performance.now() - t;
  marks.push({ step: `${HOT.length} evaluations of different hot nodes (dry-run, 1 eviction each)`, ms: evalMs, ...settle(), peakRss: peakRss() });
  t = performance.now();
  // The last round marked the request sums stale: the gatherer serves the old ones and refreshes
  // them in the background. Wait for that, as its pages are part of the peak.
  await evaluator.gatherer.warm();
  while (served.folding > 0) await new Promise((r) => setTimeout(r, 20));
  marks.push({ step: 'the request-sums refresh they left running, finished', ms: performance.now() - t, ...settle(), peakRss: peakRss() });
  clearInterval(sampler);

  const last = marks[marks.length - 1] ?? marks[0];
  const peak = peakRss();
  const flags = process.execArgv.filter((a) => a !== '--expose-gc');
  const limit = process.constrainedMemory();
  const where = limit > 0 && limit < 2 ** 50 ? `, in a memory cgroup of ${Math.round(limit / 2 ** 20)} MiB (heap limit ${Math.round(getHeapStatistics().heap_size_limit / 1e6)} MB)` : '';
  console.log(`\nPart 2. Memory for a synthetic cluster of ${SIZE.nodes.toLocaleString('en')} nodes and ${SIZE.pods.toLocaleString('en')} pods, through LiveEvaluator (same code path as the service); node ${flags.length > 0 ? flags.join(' ') : 'with default heap settings'}${where}`);
  console.log(`  objects as the API server prints them: node ~${(JSON.stringify(node(1)).length / 1024).toFixed(1)} KiB, pod ~${(JSON.stringify(pod(1)).length / 1024).toFixed(1)} KiB of JSON; ${PDBS.toLocaleString('en')} PDBs, ${(NAMESPACES * (replicaSets(0).length)).toLocaleString('en')} ReplicaSets in ${NAMESPACES} namespaces; lists paged 500 at a time`);
  console.log(`  the fake API served ${served.pages} pages, ${served.items.toLocaleString('en')} objects, ${(served.bytes / MB).toFixed(0)} MB of JSON`);
  table(
    ['step', 'took (ms)', 'RSS after GC (MB)', 'heap after GC (MB)', 'peak RSS so far (MB)'],
    marks.map((m) => [m.step, m.ms === 0 ? '-' : m.ms.toFixed(0), (m.rss / MB).toFixed(1), (m.heap / MB).toFixed(1), (m.peakRss / MB).toFixed(1)]),
  );
  console.log(`  evaluation time: p50 ${ms(percentile(times, 50))} ms, max ${ms(Math.max(...times))} ms (the synthetic API answers at once, but shares the event loop with the folds)`);
  console.log(`  request-sums folds over every pod: ${served.folds.length} (at start, then after rounds: one at a time), p50 ${(percentile(served.folds, 50) / 1000).toFixed(1)} s each`);
  console.log(`  peak RSS: ${(peak / MB).toFixed(1)} MB (baseline ${(base.rss / MB).toFixed(1)} MB, +${((peak - base.rss) / MB).toFixed(1)} MB)   target < 300 MB: ${peak < 300 * MB ? 'MET' : 'NOT MET'}`);
  console.log(`  heap: peak ${mib(heapPeak)} MiB sampled every 2 ms (baseline ${mib(base.heap)} MiB); retained after GC ${mib(last?.heap ?? 0)} MiB, +${mib((last?.heap ?? 0) - base.heap)} MiB over the baseline`);
  console.log(`  this run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  process.send?.({ peakRss: peak, baselineRss: base.rss, retainedHeap: (last?.heap ?? 0) - base.heap } satisfies MemoryResult);
}

/** What a run reports to bench/decision.ts. */
export type MemoryResult = { peakRss: number; baselineRss: number; retainedHeap: number };

await main();
