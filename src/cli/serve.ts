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
import { kubeNotReady } from '../kube/ready.ts';
import { NotifyingEvaluator } from '../live/notifying.ts';
import { prometheusNotFresh, prometheusNotReady } from '../prometheus/ready.ts';
import { registerSimulateRoute, type LiveFacts } from '../simulate/route.ts';
import { setUpLive, type LiveSetup } from './live-setup.ts';
import { serviceNotifier } from './notifier.ts';

/** Starts the service and returns the listening app. */
export async function runServe(config: Config, rawConfig: Record<string, unknown>, logger: Logger, env: Readonly<Record<string, string | undefined>>): Promise<FastifyInstance> {
  const metrics = createMetrics();
  const notifier = serviceNotifier(config.notifications, config.server.shutdown_timeout, metrics, logger);
  const setup = setUpLive(config, logger, metrics, env);
  if (setup.live) {
    const init = await setup.live.evaluator.init();
    if (!init.ok) logger.warn({ event: 'limits-unavailable', reason: init.message }, `stored limits not loaded yet: ${init.message}`);
  } else {
    logger.warn({ event: 'kubernetes-unavailable', reason: setup.kubeProblem }, `Kubernetes: ${setup.kubeProblem ?? ''}`);
  }
  const evaluator: NodeEvaluator = setup.live ? new NotifyingEvaluator(setup.live.evaluator, notifier.notify) : unavailableEvaluator(setup.kubeProblem ?? 'no Kubernetes');
  const { app } = buildApp({
    config,
    logger,
    metrics,
    onDelivery: notifier.onDelivery,
    afterDrain: async () => {
      await notifier.afterDrain();
      await setup.prometheus.close();
    },
    evaluator,
    readiness: () => readiness(config, setup),
    extraRoutes: (scope) => registerSimulateRoute(scope, { config, rawConfig, now: () => new Date(), ...(setup.live ? { liveFacts: liveFacts(setup) } : {}) }),
  });
  await app.listen({ port: config.server.port, host: config.server.host });
  logger.info({ event: 'started', mode: config.mode, port: config.server.port, kubernetes: setup.live ? 'configured' : null, prometheus: config.prometheus.url }, 'headroom serving');
  return app;
}

/**
 * Config, Prometheus (up, and its usage fresh), the API server (answering now), and each
 * permission headroom needs (checked at most every few minutes, see `preflightProbe`).
 */
async function readiness(config: Config, setup: LiveSetup): Promise<ReadinessCheck[]> {
  const [promDown, kubeDown] = await Promise.all([
    prometheusNotReady(config.prometheus.url, Math.min(config.prometheus.timeout, 5)),
    setup.kubeConfig ? kubeNotReady(setup.kubeConfig, 5000) : Promise.resolve(setup.kubeProblem ?? 'not configured'),
  ]);
  const promStale = promDown === null ? await prometheusNotFresh(setup.reader) : null;
  const checks: ReadinessCheck[] = [
    { name: 'config', ok: true, message: 'loaded' },
    { name: 'prometheus', ok: promDown === null && promStale === null, message: promDown ?? promStale ?? 'ready, usage fresh' },
  ];
  checks.push({ name: 'kubernetes', ok: kubeDown === null, message: kubeDown ?? 'API server answers' });
  if (!setup.live || kubeDown !== null) return checks;
  return [...checks, ...(await setup.live.preflight())];
}

/** `/simulate` without a snapshot: the same facts an evaluation would gather. */
function liveFacts(setup: LiveSetup): LiveFacts {
  return async (node, usage) => {
    const live = setup.live;
    if (!live) return { ok: false, error: 'unavailable', message: setup.kubeProblem ?? 'no Kubernetes' };
    const given = usage?.nodes !== undefined || usage?.pods !== undefined;
    const result = await live.evaluator.gatherer.gather(
      node,
      given ? { nodeUsage: new Map(Object.entries(usage?.nodes ?? {})), podUsage: Promise.resolve({ ok: true, value: new Map(Object.entries(usage?.pods ?? {})) }) } : {},
    );
    if (result.ok) return { ok: true, facts: result.facts };
    return result.error === 'unknown-node' ? { ok: false, error: 'unknown-node', message: result.message } : { ok: false, error: 'unavailable', message: result.message };
  };
}

/** Without a cluster, evict-alerts are answered with an explicit skip naming why. */
function unavailableEvaluator(why: string): NodeEvaluator {
  return {
    inCooldown: () => false,
    evaluate: async (request) => ({ node: request.node, result: 'skipped', reason: `Kubernetes unavailable: ${why}`, evicted: [] }),
  };
}
