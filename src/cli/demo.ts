/**
 * `headroom demo`: the whole webhook path on a laptop, with no cluster and no Prometheus. The
 * service runs against the bundled simulated cluster, memory drifts upward on the hot nodes, and
 * evict-alerts really remove pods from the simulation. Prints the curl commands to try.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../app.ts';
import { resolveConfig, type Config } from '../config/load.ts';
import { DEMO_HOT_NODE } from '../demo/cluster.ts';
import { DemoEvaluator } from '../demo/evaluator.ts';
import { DemoSimulation } from '../demo/simulation.ts';
import { createMetrics } from '../http/metrics.ts';
import { fromList } from '../facts/from-list.ts';
import { registerSimulateRoute } from '../simulate/route.ts';
import { serviceNotifier } from './notifier.ts';

/** The demo's config: defaults, the seed's example protections, and a short cooldown to play with. */
export const DEMO_RAW_CONFIG = {
  mode: 'enforce',
  eviction: { cooldown_period: 30 },
  protection: { namespaces: ['payment-system'], pod_labels: ['business-critical=true'], pod_prefixes: ['redis-', 'mysql-'] },
};

/** Options of the demo: port, and a token when `HEADROOM_AUTH_TOKEN` is set. */
export type DemoOptions = { port: number; host: string; authToken?: string; tickMs?: number; notifyUrl?: string };

/** Builds the demo app (not listening); exported so tests drive it with `inject`. */
export function buildDemoApp(logger: Logger, options: DemoOptions, now: () => Date = () => new Date()): { app: FastifyInstance; sim: DemoSimulation; config: Config } {
  const raw = {
    ...DEMO_RAW_CONFIG,
    server: { port: options.port, host: options.host, ...(options.authToken ? { auth_token: options.authToken } : {}) },
    // `--notify-url`: every event, as the documented generic webhook JSON.
    ...(options.notifyUrl ? { notifications: { webhook: { url: options.notifyUrl, min_priority: 'info' } } } : {}),
  };
  const resolved = resolveConfig(raw);
  if (!resolved.ok) throw new Error(`demo config invalid: ${JSON.stringify(resolved.problems)}`);
  const config = resolved.config;
  const metrics = createMetrics();
  const sim = new DemoSimulation(now());
  const notifier = serviceNotifier(config.notifications, config.server.shutdown_timeout, metrics, logger, now);
  const evaluator = new DemoEvaluator({ sim, config, logger, metrics, now, notify: notifier.notify });
  const { app } = buildApp({
    config,
    logger,
    metrics,
    evaluator,
    now,
    onDelivery: notifier.onDelivery,
    afterDrain: notifier.afterDrain,
    readiness: async () => [{ name: 'demo', ok: true, message: 'simulated cluster, no Prometheus or Kubernetes needed' }],
    extraRoutes: (scope) =>
      registerSimulateRoute(scope, {
        config,
        rawConfig: raw,
        now,
        liveFacts: async (node, usage) => fromList(sim.list(), usage ?? sim.usage(), node),
      }),
  });
  const ticker = setInterval(() => sim.tick(), options.tickMs ?? 5000);
  ticker.unref();
  app.addHook('onClose', async () => clearInterval(ticker));
  return { app, sim, config };
}

/** The curl commands printed at start, exactly as they work against this demo. */
export function demoCommands(base: string, authToken?: string): string {
  const auth = authToken ? ` -H 'Authorization: Bearer ${authToken}'` : '';
  const alert = JSON.stringify({
    version: '4',
    status: 'firing',
    receiver: 'headroom',
    groupKey: '{}:{alertname="NodeMemoryPressureCritical"}',
    alerts: [{ status: 'firing', labels: { alertname: 'NodeMemoryPressureCritical', severity: 'critical', headroom_action: 'evict', node: DEMO_HOT_NODE }, annotations: { summary: `Memory on ${DEMO_HOT_NODE} is above 93%` }, startsAt: '2026-11-27T12:00:00Z', endsAt: '0001-01-01T00:00:00Z' }],
  });
  return [
    'Try it:',
    '',
    `  # the eviction plan for the hot node, with every score and every protection reason`,
    `  curl -s -X POST ${base}/simulate${auth} -H 'Content-Type: application/json' -d '{"node":"${DEMO_HOT_NODE}"}'`,
    '',
    `  # the alert Alertmanager would send: headroom evicts from the simulation (watch the log)`,
    `  curl -s -X POST ${base}/webhook${auth} -H 'Content-Type: application/json' -d '${alert}'`,
    '',
    `  # send it again: de-duplicated, and the node is in its cooldown`,
    `  # readiness and metrics`,
    `  curl -s ${base}/readyz`,
    `  curl -s ${base}/metrics | grep headroom_`,
    '',
  ].join('\n');
}
