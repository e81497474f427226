/**
 * `npm run bench:decision` (issue 4, "Speed (benchmark)"):
 *
 * 1. Decision overhead on the real test stack (`decision-live.ts`): webhook receipt -> first
 *    eviction request, over 50 warm alerts plus the cold first one, against the round trips no
 *    decision can avoid (one Prometheus query + one eviction call), measured in the same run;
 *    also from the POST leaving the benchmark's client, which adds that client's own cost.
 *    Target: overhead under 50%.
 * 2. Memory for a synthetic cluster of 5,000 nodes and 50,000 pods through the same code path
 *    (`decision-memory.ts`), each run in a fresh process so its peak RSS is its own: as deployed
 *    (deploy/'s NODE_OPTIONS, under its 384 MiB limit as a memory cgroup where one can be made),
 *    with Node's defaults under that limit and with no limit, and with a smaller heap cap.
 *    Target: peak RSS under 300 MB.
 *
 * `BENCH_DECISION_PART=live|memory` runs one part only.
 */
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { memoryCgroup } from './cgroup.ts';
import { deployNodeOptions } from './deploy-flags.ts';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { runLive, type LiveResult } from './decision-live.ts';
import type { MemoryResult } from './decision-memory.ts';
import { ms, table } from './decision-stats.ts';

/** deploy/'s container memory limit. */
const CONTAINER_LIMIT = 384 * 2 ** 20;

/**
 * The settings part 2 runs with: heap flags, and whether the process runs in a memory cgroup
 * limited like deploy/'s container (Node then sizes its default heap from the limit).
 */
const memoryRuns = (): ReadonlyArray<{ label: string; flags: string[]; container?: true }> => [
  { label: "as deployed: deploy/'s NODE_OPTIONS in a 384 MiB container (a memory cgroup)", flags: deployNodeOptions(), container: true },
  { label: "Node defaults in a 384 MiB container (deploy/'s limit, as a memory cgroup)", flags: [], container: true },
  { label: 'Node defaults, no container limit', flags: [] },
  { label: 'a smaller heap cap', flags: ['--max-old-space-size=96', '--max-semi-space-size=8'] },
];

/** Runs part 2 once in a fresh process with `flags`; null when it died (e.g. out of heap). */
async function runMemory(flags: readonly string[], container = false): Promise<{ result: MemoryResult | null; why: string }> {
  const cgroup = container ? memoryCgroup(`headroom-bench-${process.pid}`, CONTAINER_LIMIT) : null;
  // Without a cgroup, Node's defaults would be the no-limit run again; explicit flags still apply.
  if (container && cgroup === null && flags.length === 0) return { result: null, why: 'not run: no writable memory cgroup on this machine (needs root)' };
  if (container && cgroup === null) console.log(`\n(no writable memory cgroup on this machine: node ${flags.join(' ')} runs without the container limit)`);
  const script = fileURLToPath(new URL('./decision-memory.ts', import.meta.url));
  const args = ['--expose-gc', ...flags, script];
  // In a cgroup, the process must be in it before Node starts (the heap is sized at start).
  const child = cgroup
    ? spawn('/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, process.execPath, ...args], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
    : fork(script, [], { execArgv: args.slice(0, -1), stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let result: MemoryResult | null = null;
  child.on('message', (m: MemoryResult) => (result = m));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  cgroup?.remove();
  if (code === 0) return { result, why: '' };
  const why = /heap out of memory/.test(stderr) ? 'JavaScript heap out of memory' : `exit ${String(code)}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
  console.log(`\nPart 2 with node ${flags.join(' ')}: died, ${why}`);
  return { result: null, why };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const part = process.env.BENCH_DECISION_PART;
  console.log(`bench:decision on ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
  const live: LiveResult | null = part === 'memory' ? null : await runLive();
  const memory: Array<{ label: string; flags: string[]; result: MemoryResult | null; why: string }> = [];
  if (part !== 'live') for (const r of memoryRuns()) memory.push({ ...r, ...(await runMemory(r.flags, r.container)) });

  console.log('\nSummary');
  const rows: string[][] = [];
  if (live) {
    rows.push(['decision overhead, warm p50 (webhook receipt -> first eviction request)', `${(live.overhead * 100).toFixed(0)}% (${ms(live.warmP50)} ms vs ${ms(live.baseline)} ms of round trips; cold ${ms(live.coldMs)} ms; from the POST sent ${(live.overheadFromPost * 100).toFixed(0)}%)`, '< 50%', live.overhead < 0.5 ? 'MET' : 'NOT MET']);
  }
  for (const m of memory) {
    const what = `peak RSS, 5,000 nodes / 50,000 pods, ${m.label}${m.flags.length > 0 ? ` (${m.flags.join(' ')})` : ''}`;
    if (m.result === null) rows.push([what, m.why.startsWith('not run') ? m.why : `died: ${m.why}`, '< 300 MB', m.why.startsWith('not run') ? '' : 'NOT MET']);
    else rows.push([what, `${(m.result.peakRss / 1e6).toFixed(0)} MB (baseline ${(m.result.baselineRss / 1e6).toFixed(0)} MB; retained heap +${(m.result.retainedHeap / 1e6).toFixed(1)} MB)`, '< 300 MB', m.result.peakRss < 300e6 ? 'MET' : 'NOT MET']);
  }
  table(['figure', 'measured', 'target', ''], rows);
  console.log(`\nbench:decision took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

await main();
