/**
 * `headroom serve` as a real child process: no cluster and no Prometheus reachable, a clean
 * environment (no KUBECONFIG, HOME an empty directory), a free port chosen up front.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const MAIN = join(ROOT, 'src/main.ts');
const SHUTDOWN_TIMEOUT = 2;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  server.close();
  await once(server, 'close');
  return address.port;
}

type Child = { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

function headroom(args: string[], home: string): Child {
  const child = spawn(NODE, [MAIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Resolves when a log line with `event` shows up on stdout; fails if the process exits first. */
async function waitForEvent(c: Child, event: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = c
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === event);
    if (line) return line;
    if (c.child.exitCode !== null) throw new Error(`exited ${c.child.exitCode} before ${event}: ${c.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${event} within ${timeoutMs} ms: ${c.stdout()} ${c.stderr()}`);
    // Poll the captured output; the short wait only paces the loop, nothing depends on time passing.
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('headroom serve as a process', { timeout: 60_000 }, () => {
  let dir = '';
  let home = '';
  const children: Child[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-serve-'));
    home = join(dir, 'home');
    await mkdir(home);
  });
  after(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('starts with no cluster: /readyz 503 naming prometheus and kubernetes, /webhook 200, SIGTERM exits 0 within the bound', async () => {
    const port = await freePort();
    const promPort = await freePort();
    const config = join(dir, 'serve.yaml');
    await writeFile(config, `server:\n  host: 127.0.0.1\n  port: ${port}\n  shutdown_timeout: ${SHUTDOWN_TIMEOUT}\nprometheus:\n  url: http://127.0.0.1:${promPort}\n  timeout: 1\n`);
    const c = headroom(['serve', '--config', config], home);
    children.push(c);
    const started = await waitForEvent(c, 'started');
    assert.equal(started.mode, 'dry-run');
    const base = `http://127.0.0.1:${port}`;

    assert.equal((await fetch(`${base}/healthz`)).status, 200);

    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    const readyBody = (await ready.json()) as { message: string; checks: Array<{ name: string; ok: boolean }> };
    assert.match(readyBody.message, /prometheus: /);
    assert.match(readyBody.message, /kubernetes: /);
    assert.deepEqual(readyBody.checks.filter((ch) => !ch.ok).map((ch) => ch.name).sort(), ['kubernetes', 'prometheus']);

    const webhook = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: '4', alerts: [{ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', headroom_action: 'evict', node: 'worker-1' } }] }),
    });
    assert.equal(webhook.status, 200);
    assert.deepEqual(await webhook.json(), { received: 1, deduplicated: 0, escalated: 0, queued: 1 });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^headroom_alerts_received_total\{status="firing"\} 1$/m);

    const stopAt = Date.now();
    c.child.kill('SIGTERM');
    const { code } = await c.exit;
    const took = Date.now() - stopAt;
    assert.equal(code, 0, c.stderr());
    assert.ok(took < (SHUTDOWN_TIMEOUT + 5) * 1000, `shutdown took ${took} ms`);
    assert.ok(c.stdout().includes('"event":"stopping"'));
    await assert.rejects(fetch(`${base}/healthz`));
  });

  it('an invalid config file: exit code 2 and every problem on stderr, nothing listening', async () => {
    const port = await freePort();
    const config = join(dir, 'bad.yaml');
    await writeFile(config, `mode: yolo\nserver:\n  port: ${port}\n  prot: 1\nthresholds:\n  memory_alert: 99\nscoring:\n  weights:\n    qos: 0.9\n`);
    const c = headroom(['serve', '--config', config], home);
    children.push(c);
    const { code } = await c.exit;
    assert.equal(code, 2);
    const err = c.stderr();
    assert.match(err, /invalid configuration/);
    assert.ok(err.includes(config), 'stderr names the file');
    for (const key of ['mode', 'server.prot', 'thresholds.memory_alert', 'scoring.weights']) assert.match(err, new RegExp(`config: ${key.replace('.', '\\.')}: got `), key);
    assert.match(err, /"yolo"/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });

  it('a missing config file: exit code 2 naming it', async () => {
    const c = headroom(['serve', '--config', join(dir, 'nope.yaml')], home);
    children.push(c);
    assert.equal((await c.exit).code, 2);
    assert.match(c.stderr(), /nope\.yaml.*ENOENT/);
  });

  it('a bad command line: exit code 2 with the message and the usage', async () => {
    const c = headroom(['serve', '--port', 'abc'], home);
    children.push(c);
    assert.equal((await c.exit).code, 2);
    assert.match(c.stderr(), /--port "abc"/);
    assert.match(c.stderr(), /usage:/);
  });

  it('help: exit code 0 with the usage on stdout', async () => {
    const c = headroom(['help'], home);
    children.push(c);
    assert.equal((await c.exit).code, 0);
    assert.match(c.stdout(), /headroom serve/);
  });
});
