import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildDemoApp } from '../../../src/cli/demo.ts';
import { DEMO_HOT_NODE, demoCluster } from '../../../src/demo/cluster.ts';
import { REASON_CODES } from '../../../src/plan/index.ts';
import { memoryLogger } from '../../helpers/app.ts';

const run = promisify(execFile);
const NOW = new Date('2026-11-27T12:00:00Z');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

type PlanBody = { evictions: Array<{ namespace: string; name: string }>; protected: Array<{ reasons: string[] }>; candidates: unknown[]; memory: { usage: number } };

describe('the demo cluster', () => {
  it('has about 6 nodes and 80 pods and exercises every protection reason on the hot node', async () => {
    const { list } = demoCluster(NOW);
    assert.equal(list.items.filter((i) => i.kind === 'Node').length, 6);
    const pods = list.items.filter((i) => i.kind === 'Pod').length;
    assert.ok(pods >= 70 && pods <= 90, `pods: ${pods}`);
    const { app } = buildDemoApp(memoryLogger().logger, { port: 0, host: '127.0.0.1' }, () => NOW);
    const res = await app.inject({ method: 'POST', url: '/simulate', payload: { node: DEMO_HOT_NODE } });
    assert.equal(res.statusCode, 200, res.body);
    const plan = res.json<PlanBody>();
    const reasons = new Set(plan.protected.flatMap((p) => p.reasons));
    assert.deepEqual(REASON_CODES.filter((r) => !reasons.has(r)), [], 'every reason code appears on the hot node');
    assert.ok(plan.evictions.length > 0, 'the hot node has something to evict');
    assert.ok(plan.memory.usage > 93, `hot node starts above the eviction threshold: ${plan.memory.usage}`);
    await app.close();
  });

  it('evicts from the simulation on an alert, then holds the node in cooldown', async () => {
    const log = memoryLogger();
    const { app, sim } = buildDemoApp(log.logger, { port: 0, host: '127.0.0.1' }, () => NOW);
    const before = (await app.inject({ method: 'POST', url: '/simulate', payload: { node: DEMO_HOT_NODE } })).json<PlanBody>();
    const alert = { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', node: DEMO_HOT_NODE } }] };
    const first = await app.inject({ method: 'POST', url: '/webhook', payload: alert });
    assert.deepEqual(first.json(), { received: 1, deduplicated: 0, escalated: 0, queued: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const names = JSON.stringify(sim.list().items);
    for (const pod of before.evictions) assert.ok(!names.includes(`"name":"${pod.name}"`), `${pod.name} left the simulation`);
    const evictions = log.lines().filter((l) => l.event === 'eviction');
    assert.equal(evictions.length, before.evictions.length);
    const again = await app.inject({ method: 'POST', url: '/webhook', payload: alert });
    assert.deepEqual(again.json(), { received: 1, deduplicated: 1, escalated: 0, queued: 0 });
    await app.close();
  });
});

describe('headroom demo --notify-url', () => {
  it('sends the alert and the executed plan to the generic webhook', { timeout: 30_000 }, async () => {
    const bodies: Array<Record<string, unknown>> = [];
    const server = createHttpServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    const { app } = buildDemoApp(memoryLogger().logger, { port: 0, host: '127.0.0.1', notifyUrl: url }, () => NOW);
    const alert = { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', node: DEMO_HOT_NODE } }] };
    await app.inject({ method: 'POST', url: '/webhook', payload: alert });
    const deadline = Date.now() + 10_000;
    while (bodies.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await app.close();
    server.close();
    const events = bodies.map((b) => b.event).sort();
    assert.deepEqual(events, ['alert', 'eviction-executed']);
    assert.ok(bodies.every((b) => b.version === '1'));
  });
});

describe('headroom demo (the CLI)', () => {
  it('prints curl commands that work as printed', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['src/main.ts', 'demo', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HEADROOM_AUTH_TOKEN: 'demo-token-0123456789' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes('curl -s http') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const commands = out.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('curl '));
      assert.ok(commands.length >= 4, out);
      const results = [];
      for (const command of commands) results.push((await run('sh', ['-c', command])).stdout);
      const [simulate, webhook, readyz, metrics] = results;
      assert.ok((JSON.parse(simulate ?? '') as PlanBody).evictions.length > 0, 'simulate shows a plan');
      assert.deepEqual(JSON.parse(webhook ?? ''), { received: 1, deduplicated: 0, escalated: 0, queued: 1 });
      assert.equal((JSON.parse(readyz ?? '') as { status: string }).status, 'ready');
      assert.match(metrics ?? '', /headroom_alerts_received_total\{status="firing"\} 1/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
