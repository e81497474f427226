/**
 * The server side of `bench:intake`, run as a child process so the load generator does not share
 * its CPU. `headroom` builds the real app (default config, a no-op evaluator); `bare` is the
 * baseline: a Fastify route that only parses the JSON and answers `{}`.
 */
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { resolveConfig } from '../src/config/load.ts';
import { createMetrics } from '../src/http/metrics.ts';
import { createLogger } from '../src/log.ts';

const [kind = 'headroom', portText = '0'] = process.argv.slice(2);
const config = resolveConfig({});
if (!config.ok) throw new Error('default config invalid');

const acted = new Set<string>();
const app =
  kind === 'bare'
    ? Fastify({ bodyLimit: config.config.server.body_limit }).post('/webhook', async () => ({}))
    : buildApp({
        config: config.config,
        logger: createLogger({ level: 'info' }),
        metrics: createMetrics(),
        readiness: async () => [],
        // Like the live evaluator, a node acted on is in its cooldown afterwards (for the run).
        evaluator: { inCooldown: (node) => acted.has(node), evaluate: async (r) => (acted.add(r.node), { node: r.node, result: 'evicted', evicted: [] }) },
      }).app;

await app.listen({ port: Number(portText), host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('message', (m) => {
  if (m === 'rss') process.send?.({ maxRssKb: process.resourceUsage().maxRSS });
  if (m === 'cpu') {
    const c = process.cpuUsage();
    process.send?.({ cpuUs: c.user + c.system });
  }
});
