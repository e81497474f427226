#!/usr/bin/env node
/**
 * The `headroom` command. The only module that reads `process.env`, argv and signals, and the
 * only one that exits; everything it starts is closed on SIGINT/SIGTERM within a bounded time.
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { USAGE, parseCommand } from './cli/args.ts';
import { buildDemoApp, demoCommands } from './cli/demo.ts';
import { runOnceCommand } from './cli/once.ts';
import { runServe } from './cli/serve.ts';
import { loadConfigFile } from './config/file.ts';
import { formatProblems, type Config } from './config/load.ts';
import { createLogger } from './log.ts';
import { renderRules } from './rules/render.ts';

/** Loads the config or prints every problem; `null` means exit 2. */
async function configOrNull(path: string | undefined): Promise<{ config: Config; raw: Record<string, unknown> } | null> {
  const loaded = await loadConfigFile(path, process.env);
  if (loaded.ok) return { config: loaded.config, raw: loaded.raw };
  process.stderr.write(`headroom: invalid configuration (${loaded.source}):\n${formatProblems(loaded.problems)}\n`);
  return null;
}

/** Closes `app` on SIGINT/SIGTERM or a fatal error, within the shutdown bound. */
function closeOnSignal(app: FastifyInstance, config: Config): void {
  closeWithGrace({ delay: (config.server.shutdown_timeout + 5) * 1000 }, async ({ signal, err }) => {
    if (err) app.log.error({ event: 'fatal', err }, 'shutting down after an error');
    app.log.info({ event: 'stopping', signal }, 'draining and closing');
    await app.close();
  });
}

async function main(): Promise<number> {
  const parsed = parseCommand(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`headroom: ${parsed.message}\n${USAGE}\n`);
    return 2;
  }
  const cmd = parsed.value;
  switch (cmd.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'serve': {
      const loaded = await configOrNull(cmd.config);
      if (!loaded) return 2;
      const config = cmd.port === undefined ? loaded.config : { ...loaded.config, server: { ...loaded.config.server, port: cmd.port } };
      const logger = createLogger({ level: process.env.HEADROOM_LOG_LEVEL });
      closeOnSignal(await runServe(config, loaded.raw, logger, process.env), config);
      return -1;
    }
    case 'rules': {
      const loaded = await configOrNull(cmd.config);
      if (!loaded) return 2;
      process.stdout.write(renderRules(loaded.config, cmd.format));
      return 0;
    }
    case 'demo': {
      const logger = createLogger({ level: process.env.HEADROOM_LOG_LEVEL });
      const port = cmd.port ?? 8080;
      const authToken = process.env.HEADROOM_AUTH_TOKEN || undefined;
      const { app, config } = buildDemoApp(logger, { port, host: '127.0.0.1', authToken, ...(cmd.notifyUrl ? { notifyUrl: cmd.notifyUrl } : {}) });
      await app.listen({ port, host: '127.0.0.1' });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      process.stdout.write(`\nheadroom demo: a simulated cluster of 6 nodes, memory rising on worker-1.\n\n${demoCommands(`http://127.0.0.1:${bound}`, authToken)}\n`);
      closeOnSignal(app, config);
      return -1;
    }
    case 'once': {
      const loaded = await configOrNull(cmd.config);
      if (!loaded) return 2;
      // Logs go to stderr so the table on stdout stays clean for scripts.
      const logger = createLogger({ level: process.env.HEADROOM_LOG_LEVEL ?? 'warn', destination: process.stderr });
      const out = await runOnceCommand(loaded.config, cmd, logger, process.env);
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      return out.code;
    }
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`headroom: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
