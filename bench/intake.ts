/**
 * `npm run bench:intake`: requests/s, p50/p99 latency and peak RSS of `POST /webhook` for payloads
 * of 1, 10 and 100 alerts, against a bare Fastify route measured in the same run; then the dedup
 * ledger fed 1,000,000 distinct fingerprints. Target (2 cores): intake >= 70% of the bare route's
 * requests/s at 10 alerts, p99 < 25 ms at 50 connections; ledger RSS growth < 100 MB.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { DedupLedger } from '../src/dedup/ledger.ts';
import { alertPayload } from './payloads.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 50;
type Row = { target: string; alerts: number; rps: number; p50: number; p99: number; errors: number; peakRssMb: number };

async function startServer(kind: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(new URL('./intake-server.ts', import.meta.url), [kind, '0'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [msg] = (await once(child, 'message')) as [{ port: number }];
  return { child, port: msg.port };
}

async function peakRss(child: ChildProcess): Promise<number> {
  child.send('rss');
  const [msg] = (await once(child, 'message')) as [{ maxRssKb: number }];
  return msg.maxRssKb / 1024;
}

async function load(port: number, alerts: number): Promise<Omit<Row, 'target' | 'peakRssMb'>> {
  const bodies = Array.from({ length: 64 }, (_, i) => alertPayload(alerts, i * 13));
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhook`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
  });
  return { alerts, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function measure(kind: string, alerts: number): Promise<Row> {
  const { child, port } = await startServer(kind);
  await load(port, alerts); // warm-up pass: JIT, connection pools
  const row = await load(port, alerts);
  const peakRssMb = await peakRss(child);
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { target: kind, ...row, peakRssMb };
}

function ledgerFlood(count: number, maxEntries: number): { growthMb: number; retainedMb: number; size: number; seconds: number } {
  global.gc?.();
  const before = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let t = Date.parse('2026-11-27T00:00:00Z');
  const ledger = new DedupLedger({ silencePeriodMs: 300_000, escalateAfter: 3, maxEntries, now: () => t });
  let peak = before;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    t += 1;
    ledger.record({ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', node: `node-${i}` }, annotations: {}, startsAt: null, endsAt: null, generatorURL: '', node: `node-${i}`, wantsEviction: true });
    if (i % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - started) / 1000;
  global.gc?.();
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  return { growthMb: (peak - before) / 1024 / 1024, retainedMb, size: ledger.size, seconds };
}

// BENCH_ONLY=ledger skips the HTTP part.
if (process.env.BENCH_ONLY !== 'ledger') {
  const rows: Row[] = [];
  for (const alerts of [1, 10, 100]) {
    rows.push(await measure('bare', alerts));
    rows.push(await measure('headroom', alerts));
  }
  console.log(`\nPOST /webhook, ${CONNECTIONS} connections, ${DURATION} s per case (after a warm-up pass)`);
  console.table(rows.map((r) => ({ ...r, rps: Math.round(r.rps), peakRssMb: Math.round(r.peakRssMb) })));
  for (const alerts of [1, 10, 100]) {
    const bare = rows.find((r) => r.target === 'bare' && r.alerts === alerts);
    const ours = rows.find((r) => r.target === 'headroom' && r.alerts === alerts);
    if (bare && ours) console.log(`${alerts} alert(s): headroom/bare requests/s = ${((ours.rps / bare.rps) * 100).toFixed(1)}%  (p99 ${ours.p99} ms)`);
  }
}
const flood = ledgerFlood(1_000_000, 10_000);
console.log(`\ndedup ledger: 1,000,000 distinct fingerprints, bound 10,000 -> size ${flood.size}, peak RSS growth ${flood.growthMb.toFixed(1)} MB (garbage not yet collected included), heap retained after GC ${flood.retainedMb.toFixed(1)} MB, ${flood.seconds.toFixed(2)} s (${Math.round(1_000_000 / flood.seconds)} alerts/s)`);
