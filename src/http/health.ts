/**
 * Liveness, readiness and metrics. Liveness only says the process serves; readiness says whether
 * headroom could act right now, and names every failing dependency so `kubectl describe` tells why.
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

/** One readiness check's result. */
export type ReadinessCheck = { name: string; ok: boolean; message: string };

/** Runs every readiness check; must not throw. */
export type ReadinessProbe = () => Promise<ReadinessCheck[]>;

/** Registers `/healthz`, `/readyz` and `/metrics`. */
export function registerHealthRoutes(app: FastifyInstance, deps: { readiness: ReadinessProbe; metrics: Metrics }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await deps.readiness();
    const failing = checks.filter((c) => !c.ok);
    return reply.code(failing.length === 0 ? 200 : 503).send({
      status: failing.length === 0 ? 'ready' : 'not-ready',
      message: failing.length === 0 ? 'all checks pass' : failing.map((c) => `${c.name}: ${c.message}`).join('; '),
      checks,
    });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
