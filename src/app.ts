/**
 * `buildApp(deps)`: the Fastify instance with every route, and nothing else. No I/O at import
 * and no listening: `main.ts` starts it, tests drive it with `app.inject`. Resources it creates
 * (the queue) close in `onClose`, so `app.close()` drains them.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/load.ts';
import type { AlertDelivery } from './core/alert.ts';
import type { NodeEvaluator } from './core/evaluator.ts';
import { DedupLedger } from './dedup/ledger.ts';
import { bearerAuth } from './http/auth.ts';
import { installErrorHandlers } from './http/errors.ts';
import { registerHealthRoutes, type ReadinessProbe } from './http/health.ts';
import type { Metrics } from './http/metrics.ts';
import { registerWebhookRoute } from './intake/route.ts';
import { NodeQueue } from './queue/node-queue.ts';

/** Everything the app needs from outside; `now` is the clock (injected for tests). */
export type AppDeps = {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  evaluator: NodeEvaluator;
  readiness: ReadinessProbe;
  onDelivery?: (delivery: AlertDelivery) => void;
  /** Runs at shutdown after the queue has drained (e.g. flushing notifications it produced). */
  afterDrain?: () => Promise<void>;
  /** Registers extra routes (e.g. `/simulate`) on the authenticated scope. */
  extraRoutes?: (app: FastifyInstance) => void;
  now?: () => Date;
  /** Evaluations run at once across different nodes. */
  concurrency?: number;
};

/**
 * The webhook validator's options. `unicode: false` measures string limits in UTF-16 units
 * (`.length`) instead of walking every string to count code points: on a realistic 10-alert
 * payload that walk cost as much as the JSON parse (bench:intake). The limits are size guards
 * (1 MiB per value), where the difference does not matter. ajv marks the option deprecated and
 * says so on each compile: that one notice is dropped, every other message is kept.
 */
const AJV_OPTIONS = {
  coerceTypes: false,
  useDefaults: true,
  removeAdditional: false,
  allErrors: false,
  unicode: false,
  logger: {
    log: (...args: unknown[]) => console.log(...args),
    warn: (...args: unknown[]) => {
      if (!String(args[0]).startsWith('DEPRECATED: option unicode')) console.warn(...args);
    },
    error: (...args: unknown[]) => console.error(...args),
  },
};

/** The app plus handles the CLI and tests use. */
export type BuiltApp = { app: FastifyInstance; queue: NodeQueue; ledger: DedupLedger };

/** Builds the service. */
export function buildApp(deps: AppDeps): BuiltApp {
  const { config, logger, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  // Typed as Fastify's logger so the instance type stays the default one that plugins expect.
  const baseLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: baseLogger,
    bodyLimit: config.server.body_limit,
    // Routes log their own decisions with an `event` field; per-request lines would double the volume.
    logController: new LogController({ disableRequestLogging: true }),
    // Alertmanager and curl send JSON; nothing else is parsed (text/plain answers 415).
    forceCloseConnections: true,
    // No type coercion: a label value 5 is an error, not "5". Defaults are filled from the schema.
    ajv: { customOptions: AJV_OPTIONS },
    return503OnClosing: true,
  });
  app.removeContentTypeParser(['text/plain']);
  installErrorHandlers(app, config.server.body_limit);

  const ledger = new DedupLedger({
    silencePeriodMs: config.dedup.silence_period * 1000,
    escalateAfter: config.dedup.escalate_after,
    maxEntries: config.dedup.max_entries,
    // The ledger reads the clock several times per alert: no Date object for the real one.
    now: deps.now === undefined ? Date.now : () => now().getTime(),
  });
  const queue = new NodeQueue({ evaluator: deps.evaluator, maxQueued: config.server.max_queued_nodes, concurrency: deps.concurrency ?? 2, logger, metrics, now });
  app.addHook('onClose', async () => {
    await queue.close(config.server.shutdown_timeout * 1000);
    await deps.afterDrain?.();
  });

  registerHealthRoutes(app, { readiness: deps.readiness, metrics });
  void app.register(async (scope) => {
    const token = config.server.auth_token;
    if (token !== undefined) scope.addHook('onRequest', bearerAuth(token));
    registerWebhookRoute(scope, {
      ledger,
      queue,
      metrics,
      reading: { nodeLabels: config.eviction.node_labels, evictAlertnames: new Set(config.eviction.alertnames) },
      onDelivery: deps.onDelivery ?? (() => undefined),
    });
    deps.extraRoutes?.(scope);
  });
  return { app, queue, ledger };
}
