/**
 * `npm run bench:intake`: requests/s, p50/p99 latency, server CPU per request and peak RSS of
 * `POST /webhook` for payloads of 1, 10 and 100 alerts, against a bare Fastify route measured in
 * the same run; then the dedup ledger fed 1,000,000 distinct fingerprints. Target (2 cores):
 * intake >= 70% of the bare route's requests/s at 10 alerts, p99 < 25 ms at 50 connections;
 * ledger RSS growth < 100 MB.
 *
 * Each case runs `BENCH_ROUNDS` times (default 3), bare and headroom alternating, each server in
 * a fresh child process after a warm-up pass; the figures are the medians over the rounds, so a
 * burst of noise on a shared machine moves one round, not the result. CPU per request is the
 * server process's own user+system time over the requests it answered.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import type { LedgerResult } from './intake-ledger.ts';
import { percentile } from './decision-stats.ts';
import { deployNodeOptions } from './deploy-flags.ts';
import { alertPayload } from './payloads.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
type Run = { rps: number; p50: number; p99: number; errors: number; cpuUsPerRequest: number; peakRssMb: number };

const median = (xs: readonly number[]): number => percentile(xs, 50);

async function ask<T>(child: ChildProcess, message: string): Promise<T> {
  child.send(message);
  const [reply] = (await once(child, 'message')) as [T];
  return reply;
}

async function load(port: number, alerts: number): Promise<{ rps: number; p50: number; p99: number; errors: number; requests: number }> {
  const bodies = Array.from({ length: 64 }, (_, i) => alertPayload(alerts, i * 13));
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhook`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, requests: result.requests.total };
}

/** One server in a fresh process: a warm-up pass (JIT, connection pools), then the measured one. */
async function measure(kind: string, alerts: number): Promise<Run> {
  const child = fork(new URL('./intake-server.ts', import.meta.url), [kind, '0'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [msg] = (await once(child, 'message')) as [{ port: number }];
  await load(msg.port, alerts);
  const cpu0 = (await ask<{ cpuUs: number }>(child, 'cpu')).cpuUs;
  const r = await load(msg.port, alerts);
  const cpu1 = (await ask<{ cpuUs: number }>(child, 'cpu')).cpuUs;
  const rss = await ask<{ maxRssKb: number }>(child, 'rss');
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, cpuUsPerRequest: (cpu1 - cpu0) / Math.max(1, r.requests), peakRssMb: rss.maxRssKb / 1024 };
}

/** The ledger flood in a child with `flags`. */
async function ledger(flags: readonly string[]): Promise<LedgerResult> {
  const child = fork(new URL('./intake-ledger.ts', import.meta.url), [], { execArgv: ['--expose-gc', ...flags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [result] = (await once(child, 'message')) as [LedgerResult];
  await once(child, 'exit');
  return result;
}

const summary: string[][] = [];
// BENCH_ONLY=ledger skips the HTTP part.
if (process.env.BENCH_ONLY !== 'ledger') {
  const rows: Array<Record<string, string | number>> = [];
  for (const alerts of [1, 10, 100]) {
    const runs: Record<'bare' | 'headroom', Run[]> = { bare: [], headroom: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['bare', 'headroom'] as const) runs[kind].push(await measure(kind, alerts));
    }
    const med = (kind: 'bare' | 'headroom', k: keyof Run): number => median(runs[kind].map((r) => r[k]));
    for (const kind of ['bare', 'headroom'] as const) {
      rows.push({ target: kind, alerts, 'req/s': Math.round(med(kind, 'rps')), 'p50 ms': med(kind, 'p50'), 'p99 ms': med(kind, 'p99'), 'CPU µs/req': Math.round(med(kind, 'cpuUsPerRequest')), 'peak RSS MB': Math.round(med(kind, 'peakRssMb')), errors: runs[kind].reduce((s, r) => s + r.errors, 0), 'req/s per round': runs[kind].map((r) => Math.round(r.rps)).join(' ') });
    }
    const ratio = med('headroom', 'rps') / med('bare', 'rps');
    const p99 = med('headroom', 'p99');
    summary.push([`${alerts} alert(s)`, `headroom/bare req/s ${(ratio * 100).toFixed(1)}%`, `p99 ${p99} ms`, `CPU per request ${Math.round(med('headroom', 'cpuUsPerRequest'))} vs ${Math.round(med('bare', 'cpuUsPerRequest'))} µs`]);
    if (alerts === 10) summary.push(['  target at 10 alerts', `>= 70%: ${ratio >= 0.7 ? 'MET' : 'NOT MET'}`, `< 25 ms: ${p99 < 25 ? 'MET' : 'NOT MET'}`, '']);
  }
  console.log(`\nPOST /webhook, ${CONNECTIONS} connections, ${DURATION} s per run after a warm-up pass; medians of ${ROUNDS} rounds (bare and headroom alternating)`);
  console.table(rows);
}

const deployed = deployNodeOptions();
for (const [label, flags] of [['Node defaults', []], [`as deployed (deploy/: ${deployed.join(' ')})`, deployed]] as const) {
  const r = await ledger(flags);
  console.log(`\ndedup ledger, ${label}: 1,000,000 distinct fingerprints, bound 10,000 -> size ${r.size}; peak RSS growth ${r.growthMb.toFixed(1)} MB (garbage not yet collected included), heap retained after GC ${r.retainedMb.toFixed(1)} MB; ${r.seconds.toFixed(2)} s (${Math.round(1_000_000 / r.seconds)} alerts/s)`);
  summary.push([`ledger flood, ${label}`, `size ${r.size} (bound 10,000)`, `RSS growth ${r.growthMb.toFixed(0)} MB`, `< 100 MB: ${r.size <= 10_000 && r.growthMb < 100 ? 'MET' : 'NOT MET'}`]);
}
console.log('\nSummary');
for (const row of summary) console.log(`  ${row.filter((c) => c !== '').join(' | ')}`);
