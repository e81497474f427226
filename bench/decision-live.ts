/**
 * Part 1 of bench:decision: headroom's decision time on the real test stack (kube-apiserver +
 * etcd + the disruption controller, the exporter, Prometheus scraping every second), against the
 * round trips no decision can avoid, measured in the same run.
 *
 * headroom is built in this process exactly as `headroom serve` builds it (`runServe`, enforce
 * mode), its kubeconfig and `prometheus.url` pointing at two recording proxies
 * (`decision-proxy.ts`) that run, with the exporter, in a helper process (`decision-helper.ts`),
 * so this process runs headroom and little else. Each of 51 hot nodes gets one alert,
 * sequentially (so no cooldown needs resetting); the time measured is from the webhook's
 * receipt (headroom's HTTP server has its headers: the issue's "webhook receipt") to the eviction
 * request arriving at the proxy (the two processes' clocks aligned to well under a millisecond),
 * and, more strictly, from just before the POST leaves its sender (the helper process, in
 * Alertmanager's place, over a kept-alive connection). The first alert after start is reported
 * on its own (cold caches), the other 50 are the warm figures. Between alerts the benchmark waits
 * for the evaluation to end and every call to settle, samples the round trips
 * (`decision-samples.ts`), and paces alerts at least `PACE_MS` apart so headroom's client-side
 * rate limit (50 qps, burst 100) never queues a call.
 *
 * `BENCH_DECISION_PROFILE=<file>` writes a CPU profile of this process over the alerts (the
 * round trips are then sampled after the alerts, so the profile holds headroom's work only).
 */
import type { IncomingMessage } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { runServe } from '../src/cli/serve.ts';
import { resolveConfig } from '../src/config/load.ts';
import { createPrometheusClient, type PrometheusClient } from '../src/prometheus/client.ts';
import { kubeApiFor } from '../test/integration/kube-fixtures.ts';
import { startKubeCluster, type KubeCluster } from '../test/stack/kube-cluster.ts';
import { startPrometheus, type TestPrometheus } from '../test/stack/prometheus.ts';
import { epochNow, startHelper, type Helper, type Posted } from './decision-helper-client.ts';
import { logCapture, type LogCapture } from './decision-logs.ts';
import { type Alert, printBreakdown, printCold, printDecisions, printRoundTrips } from './decision-report.ts';
import { sampler, type Trip } from './decision-samples.ts';
import { HOT, hotNode, seed } from './decision-seed.ts';
import { ms } from './decision-stats.ts';

const TOKEN = 'bench-decision-token-0123456789';
/** Least time from one alert to the next (Alertmanager's group_interval is minutes in practice). */
const PACE_MS = 300;

const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, t));

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Waits until neither proxy has had a call open for 30 ms. */
async function quiesce(helper: Helper): Promise<void> {
  const deadline = performance.now() + 10_000;
  let quietSince = performance.now();
  while (performance.now() < deadline) {
    if ((await helper.call<number>('in-flight')) > 0) quietSince = performance.now();
    else if (performance.now() - quietSince >= 30) return;
    await sleep(5);
  }
}

/** A kubeconfig for `server` (the proxy) with the admin token. */
async function kubeconfigVia(cluster: KubeCluster, server: string, dir: string): Promise<string> {
  const path = join(dir, 'kubeconfig');
  const text = cluster.kubeconfigFor(cluster.adminToken, 'headroom').replace(`server: ${cluster.url}`, `server: ${server}`).replace(/ {4}certificate-authority: .*\n/, '    insecure-skip-tls-verify: true\n');
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

/** The webhook body Alertmanager would send for the critical alert on `node`. */
function alertBody(node: string): string {
  const labels = { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', node };
  return JSON.stringify({ version: '4', groupKey: `{}:{node="${node}"}`, status: 'firing', receiver: 'headroom', groupLabels: { node }, commonLabels: labels, alerts: [{ status: 'firing', labels, annotations: {}, startsAt: new Date().toISOString(), fingerprint: node }] });
}

/** When headroom's HTTP server next receives a webhook request (its headers parsed), epoch ms. */
function nextReceipt(app: FastifyInstance): Promise<number> {
  return new Promise((resolve) => {
    const on = (req: IncomingMessage): void => {
      if (req.method !== 'POST' || req.url !== '/webhook') return;
      app.server.off('request', on);
      resolve(epochNow());
    };
    app.server.prependListener('request', on);
  });
}

/** Sends the alert for `node`; waits for its evaluation and for every call to settle. */
async function oneAlert(app: FastifyInstance, base: string, node: string, helper: Helper, logs: LogCapture): Promise<Alert> {
  const webhook = logs.next((l) => l.event === 'webhook', 30_000);
  const evaluated = logs.next((l) => l.event === 'evaluation' && l.node === node, 60_000);
  const receipt = nextReceipt(app);
  const posted = await helper.call<Posted>('post', { url: `${base}/webhook`, body: alertBody(node), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
  const t0 = posted.sentAt - helper.offsetMs;
  const answered = posted.answeredAt - posted.sentAt;
  const answer = JSON.parse(posted.text) as { queued?: number };
  if (posted.status !== 200 || answer.queued !== 1) throw new Error(`webhook for ${node}: ${posted.status} ${posted.text}`);
  const logged = (await webhook).at - t0;
  const end = await evaluated;
  if (end.result !== 'evicted') throw new Error(`${node}: ${end.result ?? '?'} (${end.reason ?? ''})`);
  await quiesce(helper);
  const all = await helper.hops(t0, epochNow());
  const eviction = all.find((h) => h.kind === 'kube: eviction' && h.path.includes(node));
  if (eviction === undefined) throw new Error(`${node}: evaluated as evicted, but no eviction request reached the proxy`);
  const hops = all
    .filter((h) => h.startMs <= eviction.startMs)
    .map((h) => ({ ...h, startMs: h.startMs - t0, endMs: h.endMs === null ? null : h.endMs - t0 }))
    .sort((a, b) => a.startMs - b.startMs);
  return { node, decision: eviction.startMs - t0, received: (await receipt) - t0, answered, logged, hops };
}

/** Part 1's headline figures (from the webhook's receipt; `overheadFromPost` from the POST sent). */
export type LiveResult = { warmP50: number; coldMs: number; baseline: number; overhead: number; overheadFromPost: number };

/** Runs part 1 and prints its tables. */
export async function runLive(): Promise<LiveResult> {
  const t0 = performance.now();
  const started: { cluster?: KubeCluster; helper?: Helper; prometheus?: TestPrometheus; app?: FastifyInstance; clients: PrometheusClient[]; dir?: string } = { clients: [] };
  const logs = logCapture();
  try {
    const [cluster, helper] = await Promise.all([startKubeCluster(), startHelper()]);
    started.cluster = cluster;
    started.helper = helper;
    const tCluster = performance.now() - t0;
    const seeded = await seed(cluster);
    await helper.call('memory', { nodes: seeded.nodes, pods: seeded.pods });
    const renderMs = await helper.call<number>('render');
    const tProm = performance.now();
    const prometheus = await startPrometheus({ scrapeTargets: [helper.target] });
    started.prometheus = prometheus;
    const prom = createPrometheusClient({ url: prometheus.url, timeoutSeconds: 5 });
    started.clients.push(prom);
    await until('every node and pod in Prometheus', 60_000, async () => {
      const r = await prom.query('count(node_memory_MemTotal_bytes) + count(count by (pod) (container_memory_working_set_bytes{container!=""}))');
      return r.ok && r.resultType === 'vector' && r.samples[0]?.value === seeded.nodes.length + seeded.pods.length;
    });
    const promMs = performance.now() - tProm;

    const proxies = await helper.call<{ kube: string; prom: string }>('proxies', { kubeUrl: cluster.url, caFile: cluster.caFile, promUrl: prometheus.url });
    const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-decision-'));
    started.dir = dir;
    const raw = {
      mode: 'enforce',
      server: { host: '127.0.0.1', port: 0, auth_token: TOKEN },
      prometheus: { url: proxies.prom, max_sample_age: 30, timeout: 5 },
      kubernetes: { kubeconfig: await kubeconfigVia(cluster, proxies.kube, dir) },
      eviction: { max_pods_per_round: 1, cooldown_period: 5, max_evictions_per_hour: 1000 },
    };
    const resolved = resolveConfig(raw);
    if (!resolved.ok) throw new Error(`config: ${JSON.stringify(resolved.problems)}`);
    const tServe = performance.now();
    const app = await runServe(resolved.config, raw, logs.logger, { HEADROOM_NAMESPACE: 'headroom' });
    started.app = app;
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await until('/readyz 200', 60_000, async () => (await fetch(`${base}/readyz`)).status === 200);
    const serveMs = performance.now() - tServe;

    const promProxied = createPrometheusClient({ url: proxies.prom, timeoutSeconds: 5 });
    started.clients.push(promProxied);
    const sample = await sampler(cluster, { prom, promProxied, kube: await kubeApiFor(cluster), kubeProxied: await kubeApiFor(cluster, { server: proxies.kube }) }, seeded.spare);
    await sample(hotNode(0)); // opens the connections
    await quiesce(helper);

    const apiserverLog = await readFile(join(cluster.tmpDir, 'kube-apiserver.log'), 'utf8').catch(() => '');
    const fromEtcd = /RequestWatchProgress feature is not supported/.test(apiserverLog);
    console.log(`\nPart 1. Decision overhead on the real test stack: kube-apiserver v1.37.2 + etcd + disruption controller, Prometheus 2.42 scraping the exporter every 1 s`);
    console.log(`  ${seeded.nodes.length} nodes of 16 GiB (${HOT} at 93.75%, the rest at 25%), ${seeded.pods.length} Running pods in 5 namespaces; headroom = runServe (enforce, max_pods_per_round 1, cooldown 5 s) in this process`);
    console.log(`  setup: cluster ${(tCluster / 1000).toFixed(1)} s, seed (${seeded.calls} API calls) ${(seeded.ms / 1000).toFixed(1)} s, Prometheus ${(promMs / 1000).toFixed(1)} s, headroom ready ${(serveMs / 1000).toFixed(1)} s`);
    console.log(`  helper process (exporter, proxies): a scrape renders in ${ms(renderMs)} ms there; clock offset ${ms(helper.offsetMs)} ms, corrected`);
    if (fromEtcd) console.log(`  note: this etcd lacks RequestWatchProgress (kube-apiserver.log), so lists without a resourceVersion are read from etcd, not the watch cache (etcd >= 3.5.13 in production)`);

    const profile = process.env.BENCH_DECISION_PROFILE;
    const profiler = profile ? new Session() : null;
    profiler?.connect();
    await profiler?.post('Profiler.enable');
    await profiler?.post('Profiler.start');
    const alerts: Alert[] = [];
    const trips: Array<Record<Trip, number>> = [];
    for (let i = 0; i < HOT; i++) {
      const cycle = performance.now();
      alerts.push(await oneAlert(app, base, hotNode(i), helper, logs));
      if (!profiler) trips.push(await sample(hotNode(i)));
      await quiesce(helper);
      const left = PACE_MS - (performance.now() - cycle);
      if (left > 0) await sleep(left);
    }
    if (profiler && profile) {
      const { profile: data } = await profiler.post('Profiler.stop');
      await writeFile(profile, JSON.stringify(data));
      profiler.disconnect();
      for (let i = 0; i < HOT; i++) trips.push(await sample(hotNode(i)));
      console.log(`  CPU profile of the alerts written to ${profile}`);
    }

    const [cold, ...warm] = alerts;
    if (cold === undefined) throw new Error('no alerts');
    const baseline = printRoundTrips(trips);
    const d = printDecisions(cold, warm, baseline);
    printBreakdown(warm);
    printCold(cold);
    const over = (x: number): number => (x - baseline.direct) / baseline.direct;
    return { warmP50: d.fromReceipt, coldMs: cold.decision - cold.received, baseline: baseline.direct, overhead: over(d.fromReceipt), overheadFromPost: over(d.fromPost) };
  } catch (err) {
    console.error(`headroom's last log lines:\n${logs.tail().slice(-20).join('')}`);
    throw err;
  } finally {
    await started.app?.close();
    await Promise.all(started.clients.map((c) => c.close()));
    await Promise.allSettled([started.helper?.stop(), started.prometheus?.stop(), started.cluster?.stop()]);
    if (started.dir) await rm(started.dir, { recursive: true, force: true });
  }
}
