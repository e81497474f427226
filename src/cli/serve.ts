/**
 * `headroom serve`: the webhook service against a real cluster and Prometheus. Builds the pieces,
 * wires readiness to the real dependencies, and listens. Signals are main.ts's business.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../app.ts';
import type { Config } from '../config/load.ts';
import type { NodeEvaluator } from '../core/evaluator.ts';
import type { ReadinessCheck } from '../http/health.ts';
import { createMetrics } from '../http/metrics.ts';
import { loadKubeConfig } from '../kube/connect.ts';
import { kubeNotReady } from '../kube/ready.ts';
import { prometheusNotReady } from '../prometheus/ready.ts';
import { registerSimulateRoute } from '../simulate/route.ts';
import { serviceNotifier } from './notifier.ts';

/** Starts the service and returns the listening app. */
export async function runServe(config: Config, rawConfig: Record<string, unknown>, logger: Logger, env: Readonly<Record<string, string | undefined>>): Promise<FastifyInstance> {
  const metrics = createMetrics();
  const kube = loadKubeConfig(config.kubernetes, env);
  if (!kube.ok) logger.warn({ event: 'kubernetes-unavailable', reason: kube.message }, `Kubernetes: ${kube.message}`);
  const readiness = async (): Promise<ReadinessCheck[]> => {
    const [prom, kubeProblem] = await Promise.all([
      prometheusNotReady(config.prometheus.url, Math.min(config.prometheus.timeout, 5)),
      kube.ok ? kubeNotReady(kube.kc, 5000) : Promise.resolve(kube.message),
    ]);
    return [
      { name: 'config', ok: true, message: 'loaded' },
      { name: 'prometheus', ok: prom === null, message: prom ?? 'ready' },
      { name: 'kubernetes', ok: kubeProblem === null, message: kubeProblem ?? 'ready' },
    ];
  };
  const notifier = serviceNotifier(config.notifications, config.server.shutdown_timeout, metrics, logger);
  const { app } = buildApp({
    config,
    logger,
    metrics,
    onDelivery: notifier.onDelivery,
    afterDrain: notifier.afterDrain,
    evaluator: unavailableEvaluator(),
    readiness,
    extraRoutes: (scope) => registerSimulateRoute(scope, { config, rawConfig, now: () => new Date() }),
  });
  await app.listen({ port: config.server.port, host: config.server.host });
  logger.info({ event: 'started', mode: config.mode, port: config.server.port, kubernetes: kube.ok ? kube.server : null, prometheus: config.prometheus.url }, 'headroom serving');
  return app;
}

/** Until the live evaluator is wired, evict-alerts are answered with an explicit skip. */
function unavailableEvaluator(): NodeEvaluator {
  return {
    inCooldown: () => false,
    evaluate: async (request) => ({ node: request.node, result: 'skipped', reason: 'live-cluster evaluation is not available in this build', evicted: [] }),
  };
}
