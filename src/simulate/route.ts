/**
 * `POST /simulate`: a dry-run eviction plan for one node, from a snapshot in the request or from
 * the live cluster. It never evicts: it only runs the same pure planner the webhook path uses.
 */
import type { FastifyInstance } from 'fastify';
import { resolveWithOverride, type Config } from '../config/load.ts';
import type { FromListResult, Usage } from '../facts/from-list.ts';
import { fromList } from '../facts/from-list.ts';
import { sendError } from '../http/errors.ts';
import { describeIssues } from '../intake/payload.ts';
import { plan, policyFromConfig, roundPlanForOutput } from '../plan/index.ts';
import { simulateRequestSchema } from './request.ts';

/** Reads live facts for a node; `usage` (from the request) replaces Prometheus when given. */
export type LiveFacts = (node: string, usage: Usage | undefined, config: Config) => Promise<FromListResult | { ok: false; error: 'unavailable'; message: string }>;

/** What the route needs: the config it runs under, and the live source when there is one. */
export type SimulateDeps = {
  config: Config;
  /** The config as written, so an override is validated exactly like a config file. */
  rawConfig: Record<string, unknown>;
  liveFacts?: LiveFacts;
  now: () => Date;
};

/** Registers `POST /simulate`. */
export function registerSimulateRoute(app: FastifyInstance, deps: SimulateDeps): void {
  app.post('/simulate', async (request, reply) => {
    const parsed = simulateRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'invalid-request', describeIssues(parsed.error));
    const body = parsed.data;

    let config = deps.config;
    if (body.config !== undefined) {
      const resolved = resolveWithOverride(deps.rawConfig, body.config);
      if (!resolved.ok) return sendError(reply, 400, 'invalid-config', resolved.problems.map((p) => `config.${p.key}: got ${p.value}; allowed: ${p.allowed}`).join('; '));
      config = resolved.config;
    }

    let facts: Awaited<ReturnType<LiveFacts>>;
    if (body.cluster !== undefined) {
      facts = fromList(body.cluster, body.usage ?? {}, body.node);
    } else if (deps.liveFacts) {
      facts = await deps.liveFacts(body.node, body.usage, config);
    } else {
      return sendError(reply, 501, 'live-mode-unavailable', 'no "cluster" in the request and this headroom has no live cluster; send a kubectl List in "cluster"');
    }
    if (!facts.ok) {
      switch (facts.error) {
        case 'unknown-node':
          return sendError(reply, 404, 'unknown-node', facts.message);
        case 'invalid-list':
          return sendError(reply, 400, 'invalid-cluster', facts.message);
        case 'unavailable':
          return sendError(reply, 503, 'dependency-unavailable', facts.message);
      }
    }
    const now = body.now !== undefined ? new Date(body.now) : deps.now();
    return roundPlanForOutput(plan(facts.facts, policyFromConfig(config), now));
  });
}
