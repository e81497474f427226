/**
 * The two commands that touch production, as a user runs them, against a real kube-apiserver (with
 * the disruption controller) and a real Prometheus scraping the test exporter: `headroom once
 * --dry-run` prints its table and evicts nothing; `headroom serve` evicts on a webhook and records
 * an Event. Both read usage from Prometheus, not from the alert.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startExporter, type TestExporter } from '../stack/exporter.ts';
import { startKubeCluster, type KubeCluster } from '../stack/kube-cluster.ts';
import { freePort } from '../stack/ports.ts';
import { startPrometheus, type TestPrometheus } from '../stack/prometheus.ts';
import { events, namespace, podStates, readyNode, replicaSet, runningPod } from './kube-fixtures.ts';

const GiB = 1024 ** 3;
const NS = 'shop';
const HOT = 'cli-n0';
const TOKEN = 'cli-live-test-token-0123456789';
const run = promisify(execFile);
const node = process.execPath;

let cluster: KubeCluster;
let exporter: TestExporter;
let prometheus: TestPrometheus;
let dir: string;
let configPath: string;
let port: number;
/** Bodies the generic webhook channel delivered (headroom's notifications). */
const notified: Array<Record<string, unknown>> = [];
let hook: Server;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  [cluster, exporter] = await Promise.all([startKubeCluster(), startExporter()]);
  prometheus = await startPrometheus({ scrapeTargets: [exporter.target] });
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-live-'));
  await namespace(cluster, NS);
  await namespace(cluster, 'headroom');
  for (let i = 0; i < 4; i++) {
    await readyNode(cluster, `cli-n${i}`);
    exporter.setNodeMemory(`cli-n${i}`, 16 * GiB, i === 0 ? 15 * GiB : 4 * GiB);
  }
  for (const app of ['web', 'api']) {
    const rs = await replicaSet(cluster, NS, app, 3);
    await runningPod(cluster, NS, `${app}-1`, { node: HOT, app, rs });
    exporter.setPodMemory(NS, `${app}-1`, HOT, 1.5 * GiB);
  }
  const kubeconfig = join(dir, 'kubeconfig');
  await cluster.writeKubeconfig(kubeconfig, { token: cluster.adminToken });
  hook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      notified.push(JSON.parse(text) as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookAddress = hook.address();
  const hookUrl = `http://127.0.0.1:${typeof hookAddress === 'object' && hookAddress ? hookAddress.port : 0}/hook`;
  configPath = join(dir, 'headroom.yaml');
  port = await freePort();
  await writeFile(
    configPath,
    [
      'mode: enforce',
      `server: {host: 127.0.0.1, port: ${port}, auth_token: ${TOKEN}}`,
      `prometheus: {url: "${prometheus.url}", max_sample_age: 30}`,
      `kubernetes: {kubeconfig: "${kubeconfig}"}`,
      'eviction: {max_pods_per_round: 1}',
      `notifications: {webhook: {url: "${hookUrl}", min_priority: info}}`,
    ].join('\n'),
  );
  // The first scrape reaches Prometheus a few seconds after it starts.
  await until('usage in Prometheus', 30_000, async () => {
    const r = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('count(node_memory_MemTotal_bytes)')}`);
    const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
    return body.data.result[0]?.value[1] === '4' ? true : null;
  });
});

after(async () => {
  hook?.close();
  await Promise.allSettled([cluster?.stop(), exporter?.stop(), prometheus?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = { ...process.env, HEADROOM_NAMESPACE: 'headroom', HOME: tmpdir(), KUBECONFIG: '' };

describe('headroom once --dry-run on a real cluster', () => {
  it('prints the table of what it would evict and evicts nothing', { timeout: 120_000 }, async () => {
    const { stdout } = await run(node, ['src/main.ts', 'once', '--dry-run', '--config', configPath], { env });
    assert.match(stdout, /headroom once \(dry-run\): nodes at or over 93%/);
    assert.match(stdout, /NODE\s+USAGE\s+RESULT\s+WOULD EVICT\s+REASON/);
    const row = stdout.split('\n').find((l) => l.startsWith(HOT));
    assert.ok(row, stdout);
    assert.match(row, /93\.8%/);
    assert.match(row, /shop\/(web|api)-1/);
    assert.equal(stdout.split('\n').filter((l) => l.startsWith('cli-n')).length, 1, 'only the hot node is over the threshold');
    assert.deepEqual((await podStates(cluster, NS)).terminating, [], 'dry-run evicts nothing');
    const executed = notified.find((b) => b.event === 'eviction-executed');
    assert.ok(executed, `once notified what it did: ${JSON.stringify(notified)}`);
    assert.equal(executed.mode, 'dry-run');
    assert.equal(executed.node, HOT);
  });

  it('exits non-zero with a message when it cannot run', { timeout: 60_000 }, async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `kubernetes: {kubeconfig: "${join(dir, 'missing')}"}\n`);
    await assert.rejects(run(node, ['src/main.ts', 'once', '--config', bad], { env }), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /kubeconfig .*missing does not exist/);
      return true;
    });
  });
});

describe('headroom serve on a real cluster', () => {
  let child: ChildProcess | undefined;
  after(() => child?.kill('SIGTERM'));

  it('is ready, evicts on a webhook and records an Event', { timeout: 120_000 }, async () => {
    child = spawn(node, ['src/main.ts', 'serve', '--config', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    const base = `http://127.0.0.1:${port}`;
    const ready = await until('readiness', 60_000, async () => {
      const r = await fetch(`${base}/readyz`).catch(() => null);
      return r?.status === 200 ? ((await r.json()) as { checks: Array<{ name: string }> }) : null;
    });
    assert.ok(ready.checks.some((c) => c.name === 'prometheus') && ready.checks.some((c) => c.name.startsWith('rbac')), JSON.stringify(ready));

    // /simulate without a snapshot reads the live cluster and Prometheus.
    const sim = await fetch(`${base}/simulate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ node: HOT }) });
    assert.equal(sim.status, 200);
    const plan = (await sim.json()) as { memory: { usage: number }; evictions: Array<{ name: string }> };
    assert.equal(plan.memory.usage, 93.8);
    assert.equal(plan.evictions.length, 1);
    const unknown = await fetch(`${base}/simulate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ node: 'no-such-node' }) });
    assert.equal(unknown.status, 404);

    const alert = { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', node: HOT } }] };
    const res = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(alert) });
    assert.deepEqual(await res.json(), { received: 1, deduplicated: 0, escalated: 0, queued: 1 });

    const terminating = await until('an eviction', 60_000, async () => {
      const s = await podStates(cluster, NS);
      return s.terminating.length > 0 ? s.terminating : null;
    });
    assert.equal(terminating.length, 1, 'max_pods_per_round is 1');
    const recorded = await until('the Event', 30_000, async () => ((await events(cluster, NS)).some((e) => e.startsWith('HeadroomEviction Pod/')) ? true : null));
    assert.ok(recorded);
    assert.match(log, /"event":"eviction"/);
  });
});
