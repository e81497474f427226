/**
 * Builds the app for tests: default config (plus overrides), an in-memory evaluator that records
 * what it was asked, a silent logger whose lines can be read back, and a settable clock.
 */
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type AppDeps, type BuiltApp } from '../../src/app.ts';
import { resolveConfig, type Config } from '../../src/config/load.ts';
import type { AlertDelivery } from '../../src/core/alert.ts';
import type { EvaluationRequest, EvaluationResult, NodeEvaluator } from '../../src/core/evaluator.ts';
import type { ReadinessProbe } from '../../src/http/health.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { createLogger } from '../../src/log.ts';

/** An evaluator that records requests and can be held open to test coalescing. */
export class RecordingEvaluator implements NodeEvaluator {
  readonly requests: EvaluationRequest[] = [];
  /** The abort signal each evaluation received, in the order of `requests`. */
  readonly signals: AbortSignal[] = [];
  readonly cooldown = new Set<string>();
  #release: Array<() => void> = [];
  hold = false;

  async evaluate(request: EvaluationRequest, signal?: AbortSignal): Promise<EvaluationResult> {
    this.requests.push(request);
    if (signal) this.signals.push(signal);
    if (this.hold) await new Promise<void>((resolve) => this.#release.push(resolve));
    return { node: request.node, result: 'nothing-to-do', evicted: [] };
  }

  /** Evaluations waiting for {@link releaseAll}. */
  get held(): number {
    return this.#release.length;
  }

  inCooldown(node: string): boolean {
    return this.cooldown.has(node);
  }

  /** Lets every held evaluation finish. */
  releaseAll(): void {
    this.hold = false;
    for (const r of this.#release.splice(0)) r();
  }
}

/** The config for tests: defaults plus `raw`. Throws on an invalid one (a test bug). */
export function testConfig(raw: Record<string, unknown> = {}): Config {
  const result = resolveConfig(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** A test app with its fakes. */
export type TestApp = BuiltApp & { evaluator: RecordingEvaluator; deliveries: AlertDelivery[]; logs: () => Array<Record<string, unknown>>; clock: { now: Date } };

/** A logger writing into memory: `text()` is the raw output, `lines()` the parsed JSON lines. */
export function memoryLogger(level = 'info'): { logger: Logger; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const text = (): string => chunks.join('');
  return {
    logger: createLogger({ level, destination }),
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Optional parts of a test app that tests may replace. */
export type TestAppOptions = {
  readiness?: ReadinessProbe;
  /** Evaluations at once across nodes (the app's default is 2). */
  concurrency?: number;
  /** Extra routes on the authenticated scope (e.g. `/simulate`). */
  extraRoutes?: AppDeps['extraRoutes'];
};

/** Builds an app for `app.inject` tests. */
export function buildTestApp(raw: Record<string, unknown> = {}, options: TestAppOptions = {}): TestApp {
  const log = memoryLogger();
  const evaluator = new RecordingEvaluator();
  const deliveries: AlertDelivery[] = [];
  const clock = { now: new Date('2026-11-27T12:00:00Z') };
  const built = buildApp({
    config: testConfig(raw),
    logger: log.logger,
    metrics: createMetrics({ processMetrics: false }),
    evaluator,
    readiness: options.readiness ?? (async () => [{ name: 'test', ok: true, message: 'fine' }]),
    onDelivery: (d) => deliveries.push(d),
    now: () => clock.now,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.extraRoutes === undefined ? {} : { extraRoutes: options.extraRoutes }),
  });
  return { ...built, evaluator, deliveries, clock, logs: log.lines };
}

/** POSTs `body` to /webhook as JSON (strings are sent as they are), with extra headers. */
export function postWebhook(t: BuiltApp, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return t.app.inject({ method: 'POST', url: '/webhook', headers: { 'content-type': 'application/json', ...headers }, payload });
}

/** Moves the test clock forward by `seconds`. */
export function advance(t: TestApp, seconds: number): void {
  t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000);
}

/** A realistic Alertmanager v4 payload for the given alerts. */
export function amPayload(alerts: Array<{ status?: 'firing' | 'resolved'; labels: Record<string, string>; annotations?: Record<string, string> }>): Record<string, unknown> {
  return {
    version: '4',
    groupKey: '{}/{severity="critical"}:{alertname="NodeMemoryPressureCritical"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'headroom',
    groupLabels: { alertname: 'NodeMemoryPressureCritical' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: a.labels,
      annotations: a.annotations ?? { summary: 'memory pressure' },
      startsAt: '2026-11-27T11:59:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
      fingerprint: 'c0ffee0123456789',
    })),
  };
}

/** A critical evict-alert for `node`. */
export function criticalAlert(node: string, extra: Record<string, string> = {}): { labels: Record<string, string> } {
  return { labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', node, ...extra } };
}
