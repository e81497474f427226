/**
 * The test stack as a chain, as the end-to-end suite will use it: the exporter, a REAL Prometheus
 * evaluating a rule file, a REAL Alertmanager routing to a loopback webhook. Proves the harnesses
 * wire together (rule files load, alerts reach Alertmanager, the webhook gets the v4 payload)
 * and reports how long each piece takes to start.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startAlertmanager, type TestAlertmanager } from '../stack/alertmanager.ts';
import { startExporter, type TestExporter } from '../stack/exporter.ts';
import { startPrometheus, type TestPrometheus } from '../stack/prometheus.ts';

const GiB = 1024 ** 3;
const shippedRules = fileURLToPath(new URL('../../alert-rules/headroom.rules.yml', import.meta.url));

type Delivery = { version?: string; receiver?: string; status?: string; alerts?: Array<{ labels?: Record<string, string> }> };

let exporter: TestExporter;
let prom: TestPrometheus;
let am: TestAlertmanager;
let hook: Server;
let work: string;
const deliveries: Delivery[] = [];

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'headroom-chain-'));
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Delivery);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhook`;

  am = await startAlertmanager({
    configYaml: [
      'route:',
      '  receiver: test-hook',
      '  group_by: [alertname, node]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      'receivers:',
      '  - name: test-hook',
      '    webhook_configs:',
      `      - url: ${hookUrl}`,
      '',
    ].join('\n'),
  });
  console.log(`# alertmanager ready in ${am.startupMs} ms`);

  const rules = join(work, 'test.rules.yml');
  await writeFile(rules, [
    'groups:',
    '  - name: chain-test',
    '    rules:',
    '      - alert: ChainTestHighMemory',
    '        expr: node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes > 10 * 1024 ^ 3',
    '        labels: {severity: critical}',
    '',
  ].join('\n'));
  exporter = await startExporter();
  exporter.setNodeMemory('worker-1', 16 * GiB, 15 * GiB);
  exporter.setNodeMemory('worker-2', 16 * GiB, 2 * GiB);
  prom = await startPrometheus({ scrapeTargets: [exporter.target], ruleFiles: [rules, shippedRules], alertmanagerUrl: am.url });
  console.log(`# prometheus ready and scraped in ${prom.startupMs} ms`);
});

after(async () => {
  await prom?.stop();
  await am?.stop();
  await exporter?.stop();
  hook?.closeAllConnections();
  await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe('exporter -> Prometheus -> Alertmanager -> webhook', () => {
  it('Prometheus loads the shipped rule file and the test rules', async () => {
    const res = await fetch(`${prom.url}/api/v1/rules`);
    const body = (await res.json()) as { data: { groups: Array<{ name: string; rules: Array<{ name: string; health: string }> }> } };
    const names = body.data.groups.map((g) => g.name).sort();
    assert.deepEqual(names, ['chain-test', 'headroom']);
    const headroom = body.data.groups.find((g) => g.name === 'headroom');
    assert.deepEqual(headroom?.rules.map((r) => r.name), ['node:headroom_memory_usage:ratio', 'NodeMemoryPressureWarning', 'NodeMemoryPressureCritical', 'NodeMemoryGrowthTrend']);
  });

  it('a firing alert reaches the webhook through Alertmanager, for the right node only', async () => {
    const started = Date.now();
    const deadline = started + 20_000;
    while (deliveries.length === 0 && Date.now() < deadline) await delay(100);
    const first = deliveries[0];
    assert.ok(first, `no webhook call within 20 s; Alertmanager log: ${am.log}`);
    console.log(`# first webhook ${Date.now() - started} ms after Prometheus was ready`);
    assert.equal(first.version, '4');
    assert.equal(first.receiver, 'test-hook');
    assert.equal(first.status, 'firing');
    assert.deepEqual(first.alerts?.map((a) => [a.labels?.alertname, a.labels?.instance]), [['ChainTestHighMemory', 'worker-1']]);
  });
});

describe('harness startup errors quote the log', () => {
  /** Expects `start` to fail matching `pattern`, then removes the folder the harness kept. */
  async function failsWith(start: Promise<unknown>, pattern: RegExp): Promise<void> {
    const err = await start.then(() => assert.fail('expected startup to fail'), (e: unknown) => e as Error);
    assert.match(err.message, pattern);
    const kept = /; (\/\S+)\/[a-z]+\.log:/.exec(err.message)?.[1];
    assert.ok(kept, 'the message names the kept log');
    await rm(kept, { recursive: true, force: true });
  }

  it('Alertmanager with a bad config', async () => {
    await failsWith(startAlertmanager({ configYaml: 'route: {receiver: nowhere}\nreceivers: []\n' }), /alertmanager exited .*before \/-\/ready[\s\S]*undefined receiver \\"nowhere\\"/);
  });

  it('Prometheus with a rule file that does not parse', async () => {
    const bad = join(work, 'bad.rules.yml');
    await writeFile(bad, 'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: sum(\n');
    await failsWith(startPrometheus({ scrapeTargets: [], ruleFiles: [bad] }), /prometheus exited .*before \/-\/ready[\s\S]*parse error/);
  });
});
