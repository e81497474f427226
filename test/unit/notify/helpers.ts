/**
 * Test doubles for the notifier: a loopback HTTP server playing a vendor, a fake clock whose
 * sleep advances time instantly, a recording logger, metric readers and sample events with
 * Chinese node and pod names.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick, setTimeout as delay } from 'node:timers/promises';
import type { AlertDelivery } from '../../../src/core/alert.ts';
import type { Priority } from '../../../src/core/priority.ts';
import { createMetrics, type Metrics } from '../../../src/http/metrics.ts';
import { notificationsSchema } from '../../../src/notify/config-schema.ts';
import { createNotifier, type Notifier, type NotifierOptions } from '../../../src/notify/dispatcher.ts';
import type { EvictionExecutedEvent, NotifyEvent } from '../../../src/notify/events.ts';

/** One request as the fake vendor saw it; `at` is the fake clock's time on arrival. */
export type Captured = { method: string; url: string; headers: IncomingHttpHeaders; body: string; at: number };

/** How the fake vendor answers one request: a response, or `hang` (never answer). */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A loopback server that records every request. */
export type FakeVendor = { base: string; requests: Captured[]; close(): Promise<void> };

/** Starts a fake vendor on 127.0.0.1; `reply` gets the request and its 0-based index. */
export async function startVendor(reply: (req: Captured, index: number) => Reply = () => ({ status: 200, body: 'ok' }), clock?: FakeClock): Promise<FakeVendor> {
  const requests: Captured[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured: Captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: clock?.now() ?? Date.now() };
      const index = requests.push(captured) - 1;
      const r = reply(captured, index);
      if (r === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A clock that only moves when something sleeps on it; every sleep is recorded. */
export type FakeClock = { now: () => number; sleep: (ms: number, signal: AbortSignal) => Promise<void>; sleeps: number[] };

/** Creates a fake clock starting at `start` ms (default 2026-11-27T12:00:00Z). */
export function fakeClock(start = Date.parse('2026-11-27T12:00:00Z')): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
      t += ms;
      await tick();
    },
  };
}

/** A logger that keeps every line. */
export function recordingLogger(): { lines: Array<{ level: string; fields: Record<string, unknown>; msg: string }>; warn: NotifierOptions['logger']['warn']; debug: NotifierOptions['logger']['debug'] } {
  const lines: Array<{ level: string; fields: Record<string, unknown>; msg: string }> = [];
  return {
    lines,
    warn: (fields, msg) => lines.push({ level: 'warn', fields, msg }),
    debug: (fields, msg) => lines.push({ level: 'debug', fields, msg }),
  };
}

/** Reads `headroom_notifications_total{channel,result}`. */
export async function counted(metrics: Metrics, channel: string, result: string): Promise<number> {
  const { values } = await metrics.notifications.get();
  return values.find((v) => v.labels.channel === channel && v.labels.result === result)?.value ?? 0;
}

/**
 * How long tests let `close` drain. Generous on purpose: it only elapses when the machine is so
 * loaded that loopback requests crawl; a healthy run drains in milliseconds.
 */
export const DRAIN_MS = 10_000;

/** Waits (polling, a few ms at a time) until `check` holds; fails after `ms` of real time. */
export async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(2);
  }
}

/** Everything a dispatcher test needs, wired to a fake clock. */
export type Harness = { notifier: Notifier; metrics: Metrics; clock: FakeClock; logger: ReturnType<typeof recordingLogger> };

/** Parses `config` through the real schema and builds a notifier on a fake clock. */
export function harness(config: unknown, extra: Partial<NotifierOptions> = {}, clock = fakeClock()): Harness {
  const metrics = createMetrics({ processMetrics: false });
  const logger = recordingLogger();
  const parsed = notificationsSchema.parse(config);
  const notifier = createNotifier({ config: parsed, metrics, logger, now: clock.now, sleep: clock.sleep, random: () => 0.5, ...extra });
  return { notifier, metrics, clock, logger };
}

/** The fixed time every sample event carries. */
export const AT = '2026-11-27T12:00:00Z';

/** A plan executed on a node with Chinese names. */
export function evictionEvent(overrides: Partial<EvictionExecutedEvent> = {}): EvictionExecutedEvent {
  return {
    type: 'eviction-executed',
    priority: 'critical',
    node: '节点-1',
    cluster: '生产',
    at: AT,
    mode: 'enforce',
    usage: 95,
    projectedUsage: 78.5,
    target: 80,
    outcomes: [
      { namespace: 'payments', name: '支付-7d9f', outcome: 'evicted', score: 71.25 },
      { namespace: 'web', name: 'frontend-abc', outcome: 'pdb-refused', score: 60, message: 'Cannot evict pod as it would violate the pod\'s disruption budget.' },
    ],
    ...overrides,
  };
}

/** An alert delivery as dedup would hand it over. */
export function delivery(verdict: AlertDelivery['verdict'], priority: Priority, status: 'firing' | 'resolved' = 'firing', count = 1): AlertDelivery {
  return {
    alert: {
      status,
      labels: { alertname: 'NodeMemoryPressureCritical', node: '节点-1', severity: 'critical' },
      annotations: { summary: '节点-1 memory at 95%' },
      startsAt: '2026-11-27T11:58:00Z',
      endsAt: null,
      generatorURL: 'http://prometheus:9090/graph',
      node: '节点-1',
      wantsEviction: true,
    },
    fingerprint: 'a1b2c3',
    priority,
    count,
    verdict,
  };
}

/** An alert event from a delivery. */
export function alertOf(d: AlertDelivery): NotifyEvent {
  return { type: 'alert', priority: d.priority, node: '节点-1', at: AT, delivery: d };
}
